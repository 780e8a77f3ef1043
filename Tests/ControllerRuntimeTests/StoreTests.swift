import Testing
import Kube
@testable import ControllerRuntime

@Suite struct StoreTests {
    @Test func theNamespaceIndexIsBuiltIn() async {
        let store = Store<Widget>()
        await store.apply(Widget(metadata: ObjectMeta(name: "a", namespace: "one"), spec: .init(size: 1)))
        await store.apply(Widget(metadata: ObjectMeta(name: "b", namespace: "two"), spec: .init(size: 1)))
        await store.apply(Widget(metadata: ObjectMeta(name: "c", namespace: "one"), spec: .init(size: 1)))
        #expect(await store.byIndex(Store<Widget>.namespaceIndex, "one").map(\.name) == ["a", "c"])
        await store.delete(ObjectKey(namespace: "one", name: "a"))
        #expect(await store.byIndex(Store<Widget>.namespaceIndex, "one").map(\.name) == ["c"])
    }
}
