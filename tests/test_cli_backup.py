"""shop-desk backup / restore / report on the command line."""

from __future__ import annotations

import sqlite3

from shop_desk import backup, cli


def test_backup_then_restore(db, db_path, tmp_path, capsys):
    from shop_desk.db import close_database

    close_database()
    assert cli.main(["backup", "--db", str(db_path), "--to", str(tmp_path / "bk")]) == 0
    made = backup.list_backups(tmp_path / "bk")[0].path
    assert "Backup saved" in capsys.readouterr().out
    con = sqlite3.connect(db_path)
    con.execute(
        "insert into customer (kind, name, company, phone, phone2, address, preferred_contact_time, credit_limit, notes, created_at, version) values ('person','后来 Later','','13800000099','','','',0,'','2026-11-02 09:00:00',1)"
    )
    con.commit()
    con.close()
    assert cli.main(["restore", str(made), "--db", str(db_path)]) == 0
    con = sqlite3.connect(db_path)
    assert con.execute("select count(*) from customer where name='后来 Later'").fetchone()[0] == 0
    con.close()
    assert "previous database is kept" in capsys.readouterr().out


def test_restore_of_a_missing_or_damaged_file_fails_cleanly(db_path, tmp_path, capsys):
    assert cli.main(["restore", str(tmp_path / "nope.db"), "--db", str(db_path)]) == 1
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database at all" * 100)
    assert cli.main(["restore", str(bad), "--db", str(db_path)]) == 1
    err = capsys.readouterr().err
    assert "does not exist" in err and "damaged" in err


def test_report_month_is_validated(db_path, capsys):
    assert cli.main(["report", "monthly", "2026-13", "--db", str(db_path)]) == 2
    assert "YYYY-MM" in capsys.readouterr().err


def test_check_reports_a_dropped_audit_trigger_and_does_not_repair_it(db_path, capsys):
    con = sqlite3.connect(db_path)
    con.execute("DROP TRIGGER audit_log_no_replace")
    con.commit()
    con.close()
    assert cli.main(["check", "--db", str(db_path)]) == 1
    assert "audit_log_no_replace" in capsys.readouterr().out
    assert cli.main(["check", "--db", str(db_path)]) == 1  # checking changes nothing
