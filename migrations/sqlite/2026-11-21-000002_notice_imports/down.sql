DROP TABLE notice_imports;
