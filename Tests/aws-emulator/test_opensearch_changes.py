"""OpenSearch UpdateDomainConfig that takes time (moto applies it at once with Processing=false):
the answer and DescribeDomain checked against botocore's model, Processing while the change applies,
a second change refused meanwhile, and an injected failure that rolls the domain back."""
import pytest
from botocore.exceptions import ClientError

from emulator_harness import response_problems, wait_until


def domain(emu, name="search"):
    client = emu.client("opensearch", region="us-west-2")
    client.create_domain(DomainName=name, ClusterConfig={"InstanceType": "r6g.large.search", "InstanceCount": 2},
                         EBSOptions={"EBSEnabled": True, "VolumeType": "gp3", "VolumeSize": 20})
    return client


def test_shape_update_domain_config_and_describe_domain_while_processing(emu):
    emu.control("POST", "/__emulator__/config", {"opensearch": {"changeSeconds": 60}})
    client = domain(emu)
    answer = client.update_domain_config(DomainName="search", ClusterConfig={"InstanceType": "r6g.xlarge.search", "InstanceCount": 4})
    assert response_problems("opensearch", "UpdateDomainConfig", answer) == []
    assert answer["DomainConfig"]["ClusterConfig"]["Status"]["State"] == "Processing"
    status = client.describe_domain(DomainName="search")
    assert response_problems("opensearch", "DescribeDomain", status) == []
    assert status["DomainStatus"]["Processing"] is True
    assert status["DomainStatus"]["ClusterConfig"]["InstanceCount"] == 4
    with pytest.raises(ClientError) as busy:
        client.update_domain_config(DomainName="search", ClusterConfig={"InstanceCount": 6})
    assert busy.value.response["Error"]["Code"] == "ValidationException"
    assert [c["domainName"] for c in emu.control("GET", "/__emulator__/opensearch/state")["changes"]] == ["search"]


def test_processing_ends_when_the_change_has_applied(emu):
    emu.control("POST", "/__emulator__/config", {"opensearch": {"changeSeconds": 0.5}})
    client = domain(emu)
    client.update_domain_config(DomainName="search", ClusterConfig={"InstanceType": "r6g.large.search", "InstanceCount": 4})
    assert wait_until(lambda: client.describe_domain(DomainName="search")["DomainStatus"]["Processing"] is False, timeout=10)
    assert client.describe_domain(DomainName="search")["DomainStatus"]["ClusterConfig"]["InstanceCount"] == 4


def test_an_injected_failure_rolls_the_domain_back(emu):
    emu.control("POST", "/__emulator__/config", {"opensearch": {"changeSeconds": 0}})
    emu.control("POST", "/__emulator__/failures", {"kind": "opensearch-change-failed", "domainName": "search"})
    client = domain(emu)
    client.update_domain_config(DomainName="search", ClusterConfig={"InstanceType": "r6g.large.search", "InstanceCount": 4})
    status = client.describe_domain(DomainName="search")["DomainStatus"]
    assert (status["Processing"], status["ClusterConfig"]["InstanceCount"]) == (False, 2)


def test_a_missing_domain(emu):
    client = emu.client("opensearch", region="us-west-2")
    with pytest.raises(ClientError) as missing:
        client.update_domain_config(DomainName="absent", ClusterConfig={"InstanceCount": 2})
    assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"
