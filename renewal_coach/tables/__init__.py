"""Tables in and out: CSV and XLSX files, column mappings, matching. Qt-free."""
