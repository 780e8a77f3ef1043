import AWS
import Engine
import LifeboatAPI
import Modules
import Testing

/// Every module gets its clients through `AWSClientProvider.client(for:region:)`: in a drill,
/// the one for any region but the acting one may only read (issue 11, defence in depth).
@Suite struct DrillClientTests {
    @Test func inADrillOnlyTheActingRegionIsWritable() async throws {
        let clients = try Emulator.clients()
        let drill = Emulator.context(.cleanup, mode: .drill, parameters: [:], plan: "shop")
        #expect(drill.actingRegion == Emulator.west)
        #expect(await clients.client(for: drill, region: Emulator.west).restriction == nil)
        let serving = await clients.client(for: drill, region: Emulator.east).restriction
        #expect(serving?.reason == "a drill acts only in us-west-2; us-east-1 serves plan shop and a drill only reads it")

        let recovery = Emulator.context(.cleanup, mode: .recovery, parameters: [:], plan: "shop")
        #expect(await clients.client(for: recovery, region: Emulator.east).restriction == nil)
        #expect(await clients.client(for: recovery, region: Emulator.west).restriction == nil)
    }
}
