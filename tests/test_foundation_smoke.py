from shop_desk.models import AuditLog, LabourOperation, Part, Staff, Team


def test_sample_shop_is_there(db, staff):
    assert Staff.select().count() == 15
    assert Team.select().count() == 3
    assert LabourOperation.select().count() > 10
    assert Part.select().count() > 10
    assert "advisor" in staff["advisor"].role_set()
    assert AuditLog.select().count() > 0
