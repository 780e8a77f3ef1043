"""Seeds the rest of the payments application into the AWS emulator: what the seven modules that
testenv.aws.application leaves out act on, in both regions.

    python3 -m testenv.aws.application_services --endpoint http://127.0.0.1:PORT [--account A] [--prefix P]

or, from Python, `seed_services(endpoint, account, prefix)`, after `seed_application` with the same
account and prefix (the cache subnet groups use its subnets). Prints (returns) the names and ids.

| module | seeded |
|---|---|
| EventBridge | a bus `<p>payments-events`; rules `<p>settlement-hourly` (default bus) and `<p>refunds` (that bus), ENABLED in us-east-1 (serving), DISABLED in us-west-2 |
| EventArchive | an archive `<p>payments-events-archive` of that bus in each region |
| LambdaFunction | a function `<p>payments-dr-hook` in each region (the emulator answers its Invoke) |
| ElastiCache | a global datastore `ldgnf-<p>payments-sessions`: replication group `<p>payments-sessions` primary in us-east-1, secondary of the same id in us-west-2; cache subnet group `<p>payments-cache` in each region |
| MemoryDB | a cluster `<p>payments-profiles` in us-east-1; its configuration saved in us-west-2's SSM (`/<p>payments/dr/memorydb-config`), as MemoryDB's Activate reads it there |
| OpenSearchService | a domain `<p>payments-search` of 2 × r6g.large.search, 20 GiB, in each region |
| SQLServer | `<p>payments-ledger-use1` (SQL Server SE) in us-east-1, its automated backups replicated to us-west-2 |

Meant for a fresh emulator (a test's own): unlike testenv.aws.application it does not look for what
exists, and a second run fails on the first name already taken.
"""
import argparse
import io
import json
import sys
import zipfile

from testenv.aws.application import DEFAULT_ACCOUNT, PRIMARY, REGIONS, SECONDARY, Account, names as application_names
from testenv.support.waiting import wait_until

CACHE_NODE_TYPE = "cache.r6g.large"
MEMORYDB_CONFIG = {"ACLName": "open-access", "NodeType": "db.r6g.large", "NumShards": 1, "NumReplicasPerShard": 1}
SEARCH_SIZES = {"InstanceType": "r6g.large.search", "InstanceCount": 2}
SEARCH_STORAGE_GIB = 20
RULE_STATES = {PRIMARY: "ENABLED", SECONDARY: "DISABLED"}  # the serving region's rules run; the standby's wait
DATASTORE_PREFIX = "ldgnf-"  # ElastiCache's prefix for a global datastore made in us-east-1


def names(prefix=""):
    p = prefix
    bus = f"{p}payments-events"
    return {
        "bus": bus,
        "archive": f"{p}payments-events-archive",
        "rules": [(f"{p}settlement-hourly", "default"), (f"{p}refunds", bus)],
        "function": f"{p}payments-dr-hook",
        "functionRole": f"{p}payments-dr-hook",
        "cacheSubnetGroup": f"{p}payments-cache",
        "replicationGroup": f"{p}payments-sessions",
        "globalDatastore": f"{DATASTORE_PREFIX}{p}payments-sessions",
        "memoryDBCluster": f"{p}payments-profiles",
        "memoryDBConfigKey": f"/{p}payments/dr/memorydb-config",
        "memoryDBEndpointKey": f"/{p}payments/dr/memorydb-endpoint",
        "searchDomain": f"{p}payments-search",
        "ledgerSource": f"{p}payments-ledger-use1",
        "ledgerTarget": f"{p}payments-ledger-usw2",
    }


def archive_arn(account, region, prefix=""):
    return f"arn:aws:events:{region}:{account}:archive/{names(prefix)['archive']}"


def function_code():
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("index.py", "def handler(event, context):\n    return event\n")
    return code.getvalue()


class ServicesSeeder:
    def __init__(self, account, prefix=""):
        self.aws = account
        self.prefix = prefix
        self.n = names(prefix)

    def events(self, region):
        events = self.aws.client("events", region)
        bus_arn = events.create_event_bus(Name=self.n["bus"])["EventBusArn"]
        for rule, bus in self.n["rules"]:
            events.put_rule(Name=rule, EventBusName=bus, State=RULE_STATES[region],
                            EventPattern=json.dumps({"source": [f"{self.prefix}payments"]}))
        archive = events.create_archive(ArchiveName=self.n["archive"], EventSourceArn=bus_arn)["ArchiveArn"]
        return {"busArn": bus_arn, "archiveArn": archive}

    def function(self, role_arn, region):
        answer = self.aws.client("lambda", region).create_function(
            FunctionName=self.n["function"], Runtime="python3.12", Role=role_arn, Handler="index.handler",
            Code={"ZipFile": function_code()})
        return answer["FunctionArn"]

    def elasticache(self, subnets):
        n = self.n
        for region in REGIONS:
            self.aws.client("elasticache", region).create_cache_subnet_group(
                CacheSubnetGroupName=n["cacheSubnetGroup"], CacheSubnetGroupDescription="payments sessions",
                SubnetIds=subnets[region])
        east, west = (self.aws.client("elasticache", r) for r in (PRIMARY, SECONDARY))
        east.create_replication_group(ReplicationGroupId=n["replicationGroup"], ReplicationGroupDescription="payments sessions",
                                      CacheNodeType=CACHE_NODE_TYPE, Engine="redis", NumCacheClusters=2,
                                      CacheSubnetGroupName=n["cacheSubnetGroup"])
        datastore = east.create_global_replication_group(
            GlobalReplicationGroupIdSuffix=n["replicationGroup"],
            PrimaryReplicationGroupId=n["replicationGroup"])["GlobalReplicationGroup"]["GlobalReplicationGroupId"]

        def created():  # a secondary joins once the datastore is made (globalCreateSeconds)
            found = east.describe_global_replication_groups(GlobalReplicationGroupId=datastore)["GlobalReplicationGroups"]
            return found and found[0]["Status"] != "creating"
        wait_until(created, timeout=60, interval=0.1)
        west.create_replication_group(ReplicationGroupId=n["replicationGroup"], ReplicationGroupDescription="payments sessions",
                                      GlobalReplicationGroupId=datastore, CacheSubnetGroupName=n["cacheSubnetGroup"])
        return datastore

    def memorydb(self):
        n = self.n
        config = dict(MEMORYDB_CONFIG)
        self.aws.client("memorydb", PRIMARY).create_cluster(ClusterName=n["memoryDBCluster"], Description="payments profiles",
                                                            **config)
        self.aws.client("ssm", SECONDARY).put_parameter(Name=n["memoryDBConfigKey"], Value=json.dumps(config, sort_keys=True),
                                                         Type="String")

    def search(self, region):
        self.aws.client("opensearch", region).create_domain(
            DomainName=self.n["searchDomain"], ClusterConfig=dict(SEARCH_SIZES),
            EBSOptions={"EBSEnabled": True, "VolumeType": "gp3", "VolumeSize": SEARCH_STORAGE_GIB})

    def ledger(self):
        arn = self.aws.client("rds", PRIMARY).create_db_instance(
            DBInstanceIdentifier=self.n["ledgerSource"], Engine="sqlserver-se", DBInstanceClass="db.m5.large",
            AllocatedStorage=100, MasterUsername="admin", MasterUserPassword="not-a-secret-1",
            LicenseModel="license-included", BackupRetentionPeriod=7)["DBInstance"]["DBInstanceArn"]
        self.aws.client("rds", SECONDARY).start_db_instance_automated_backups_replication(
            SourceDBInstanceArn=arn, BackupRetentionPeriod=7)
        return arn

    def subnets(self):
        """The application's subnets in each region (testenv.aws.application seeds them)."""
        wanted = application_names(self.prefix)["subnets"]
        found = {}
        for region in REGIONS:
            subnets = self.aws.client("ec2", region).describe_subnets(
                Filters=[{"Name": "tag:Name", "Values": wanted[region]}])["Subnets"]
            if len(subnets) != len(wanted[region]):
                raise RuntimeError(f"the application's subnets {wanted[region]} are not in {region}: "
                                   "seed testenv.aws.application with the same prefix first")
            found[region] = sorted(s["SubnetId"] for s in subnets)
        return found

    def run(self):
        n = self.n
        role_arn = self.aws.client("iam", PRIMARY).create_role(
            RoleName=n["functionRole"], AssumeRolePolicyDocument=json.dumps({
                "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                        "Principal": {"Service": "lambda.amazonaws.com"}}]}))["Role"]["Arn"]
        events = {}
        for region in REGIONS:
            events[region] = self.events(region)
            self.function(role_arn, region)
            self.search(region)
        datastore = self.elasticache(self.subnets())
        self.memorydb()
        ledger = self.ledger()
        return {**n, "rules": [list(rule) for rule in n["rules"]], "globalDatastore": datastore,
                "archiveArns": {region: events[region]["archiveArn"] for region in REGIONS},
                "ledgerSourceArn": ledger, "memoryDBConfig": dict(MEMORYDB_CONFIG)}


def seed_services(endpoint, account=DEFAULT_ACCOUNT, prefix=""):
    """Seed the services (see the module docstring); returns their names and ids."""
    return ServicesSeeder(Account(endpoint, account), prefix).run()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--account", default=DEFAULT_ACCOUNT)
    parser.add_argument("--prefix", default="")
    args = parser.parse_args()
    print(json.dumps(seed_services(args.endpoint, args.account, args.prefix), indent=2, sort_keys=True))


if __name__ == "__main__":
    sys.exit(main())
