import AWS
import Testing

/// The client a drill gets for the serving region (issue 11): an action that is not on the
/// read-only allow-list is refused before anything is sent. The endpoint refuses connections,
/// so an action that *was* sent fails with a connection error instead.
@Suite struct ReadOnlyClientTests {
    let client = AWSClient(region: "us-east-1",
                           credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret")),
                           endpoints: EndpointResolver(environment: AWSEnvironment(["AWS_ENDPOINT_URL": "http://127.0.0.1:9"])),
                           retry: RetryConfiguration(maxAttempts: 1))
    let restriction = ReadOnlyRestriction(reason: "us-east-1 serves plan shop and a drill only reads it")

    @Test func aWriteIsRefusedBeforeItIsSent() async {
        let readOnly = client.readOnly(restriction)
        for (service, action) in [(AWSService.autoScaling, "UpdateAutoScalingGroup"), (.ec2, "StopInstances"), (.rds, "SwitchoverGlobalCluster"),
                                  (.ecs, "UpdateService"), (.drs, "StartRecovery"), (.route53, "ChangeResourceRecordSets")] {
            do {
                _ = try await readOnly.send(service, AWSOperation(name: action, method: .post))
                Issue.record("\(action) was allowed")
            } catch let error as AWSError {
                #expect(error.code == "ReadOnlyRegion")
                #expect(error.message == "refused to call \(service.signingName):\(action) in us-east-1, which this client may only read: us-east-1 serves plan shop and a drill only reads it")
                #expect(!error.isRetryable)
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test func aReadIsSentAndTheRestrictionSurvivesCopies() async {
        let readOnly = client.readOnly(restriction).with(region: "eu-west-1")
        #expect(readOnly.restriction == restriction)
        do {
            _ = try await readOnly.send(.ec2, AWSOperation(name: "DescribeInstances", method: .post))
            Issue.record("the closed port answered")
        } catch let error as AWSError {
            #expect(error.code == "ConnectionError", "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(client.restriction == nil)
    }
}
