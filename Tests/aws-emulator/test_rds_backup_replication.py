"""RDS automated backup replication across regions and point-in-time restore from the replicated
backups (moto lacks both): every answer checked against botocore's model, the states each passes
through, an injected failed restore, and the faults of the model."""
import pytest
from botocore.exceptions import ClientError

from emulator_harness import response_problems


def source(emu, identifier="ledger"):
    east = emu.client("rds", region="us-east-1")
    arn = east.create_db_instance(DBInstanceIdentifier=identifier, Engine="sqlserver-se", DBInstanceClass="db.m5.large",
                                  AllocatedStorage=100, MasterUsername="admin", MasterUserPassword="password-1",
                                  LicenseModel="license-included")["DBInstance"]["DBInstanceArn"]
    return arn, emu.client("rds", region="us-west-2")


def test_shape_start_replication_and_describe_while_pending(emu):
    emu.control("POST", "/__emulator__/config", {"rds": {"replicationSeconds": 60}})
    arn, west = source(emu)
    started = west.start_db_instance_automated_backups_replication(SourceDBInstanceArn=arn, BackupRetentionPeriod=7)
    assert response_problems("rds", "StartDBInstanceAutomatedBackupsReplication", started) == []
    assert started["DBInstanceAutomatedBackup"]["Status"] == "pending"
    described = west.describe_db_instance_automated_backups(DBInstanceIdentifier="ledger")
    assert response_problems("rds", "DescribeDBInstanceAutomatedBackups", described) == []
    backup = described["DBInstanceAutomatedBackups"][0]
    assert (backup["Status"], backup["Region"], backup["BackupRetentionPeriod"]) == ("pending", "us-east-1", 7)
    with pytest.raises(ClientError) as twice:
        west.start_db_instance_automated_backups_replication(SourceDBInstanceArn=arn)
    assert twice.value.response["Error"]["Code"] == "DBInstanceAutomatedBackupQuotaExceeded"


def test_shape_restore_from_replicated_backups_then_available(emu):
    emu.control("POST", "/__emulator__/config", {"rds": {"replicationSeconds": 0, "restoreSeconds": 60}})
    arn, west = source(emu)
    backup = west.start_db_instance_automated_backups_replication(SourceDBInstanceArn=arn)["DBInstanceAutomatedBackup"]
    assert west.describe_db_instance_automated_backups(DBInstanceIdentifier="ledger")["DBInstanceAutomatedBackups"][0]["Status"] == "replicating"
    restored = west.restore_db_instance_to_point_in_time(SourceDBInstanceAutomatedBackupsArn=backup["DBInstanceAutomatedBackupsArn"],
                                                         TargetDBInstanceIdentifier="ledger-west", UseLatestRestorableTime=True,
                                                         Tags=[{"Key": "k", "Value": "v"}])
    assert response_problems("rds", "RestoreDBInstanceToPointInTime", restored) == []
    assert restored["DBInstance"]["DBInstanceStatus"] == "creating"
    assert restored["DBInstance"]["Engine"] == "sqlserver-se"
    emu.control("POST", "/__emulator__/config", {"rds": {"restoreSeconds": 0}})
    instance = west.describe_db_instances(DBInstanceIdentifier="ledger-west")["DBInstances"][0]
    assert instance["DBInstanceStatus"] == "available"
    assert {"Key": "k", "Value": "v"} in west.list_tags_for_resource(ResourceName=instance["DBInstanceArn"])["TagList"]
    with pytest.raises(ClientError) as exists:
        west.restore_db_instance_to_point_in_time(SourceDBInstanceAutomatedBackupsArn=backup["DBInstanceAutomatedBackupsArn"],
                                                  TargetDBInstanceIdentifier="ledger-west", UseLatestRestorableTime=True)
    assert exists.value.response["Error"]["Code"] == "DBInstanceAlreadyExists"


def test_an_injected_failure_ends_incompatible_restore(emu):
    emu.control("POST", "/__emulator__/config", {"rds": {"replicationSeconds": 0, "restoreSeconds": 0}})
    emu.control("POST", "/__emulator__/failures", {"kind": "rds-restore-failed", "DBInstanceIdentifier": "ledger-west"})
    arn, west = source(emu)
    backup = west.start_db_instance_automated_backups_replication(SourceDBInstanceArn=arn)["DBInstanceAutomatedBackup"]
    west.restore_db_instance_to_point_in_time(SourceDBInstanceAutomatedBackupsArn=backup["DBInstanceAutomatedBackupsArn"],
                                              TargetDBInstanceIdentifier="ledger-west", UseLatestRestorableTime=True)
    assert west.describe_db_instances(DBInstanceIdentifier="ledger-west")["DBInstances"][0]["DBInstanceStatus"] == "incompatible-restore"


def test_faults_for_a_missing_source_backup_or_one_still_pending(emu):
    emu.control("POST", "/__emulator__/config", {"rds": {"replicationSeconds": 60}})
    arn, west = source(emu)
    with pytest.raises(ClientError) as missing:
        west.start_db_instance_automated_backups_replication(SourceDBInstanceArn=arn.replace(":ledger", ":absent"))
    assert missing.value.response["Error"]["Code"] == "DBInstanceNotFound"
    backup = west.start_db_instance_automated_backups_replication(SourceDBInstanceArn=arn)["DBInstanceAutomatedBackup"]
    with pytest.raises(ClientError) as pending:
        west.restore_db_instance_to_point_in_time(SourceDBInstanceAutomatedBackupsArn=backup["DBInstanceAutomatedBackupsArn"],
                                                  TargetDBInstanceIdentifier="ledger-west", UseLatestRestorableTime=True)
    assert pending.value.response["Error"]["Code"] == "InvalidDBInstanceAutomatedBackupState"
    with pytest.raises(ClientError) as unknown:
        west.restore_db_instance_to_point_in_time(SourceDBInstanceAutomatedBackupsArn="arn:aws:rds:us-west-2:123456789012:auto-backup:ab-none",
                                                  TargetDBInstanceIdentifier="ledger-west", UseLatestRestorableTime=True)
    assert unknown.value.response["Error"]["Code"] == "DBInstanceAutomatedBackupNotFound"
    states = emu.control("GET", "/__emulator__/rds/backup-replication/state")
    assert [b["DBInstanceIdentifier"] for b in states["replicatedBackups"]] == ["ledger"]
