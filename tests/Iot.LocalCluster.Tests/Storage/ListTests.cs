using Iot.LocalCluster.Storage;

namespace Iot.LocalCluster.Tests.Storage;

public sealed class ListTests : StoreTestBase
{
    [Fact]
    public void List_is_sorted_by_namespace_then_name_and_carries_the_current_resource_version()
    {
        CreateNamespace("annex");
        foreach (var (ns, name) in new[] { ("lab", "b"), ("annex", "z"), ("lab", "a"), ("annex", "c") })
        {
            Create(TestTypes.Device, Json.Device(name, ns));
        }

        Create(TestTypes.Node, Json.Node("node-1"));

        var all = Store.List(TestTypes.Device, null, new());
        var lab = Store.List(TestTypes.Device, "lab", new());

        Assert.Equal(["annex/c", "annex/z", "lab/a", "lab/b"], all.Items.Select(d => $"{d.Meta()["namespace"]}/{d.Name()}"));
        Assert.Equal(["a", "b"], lab.Items.Select(d => d.Name()));
        Assert.Equal(Store.ResourceVersion, all.ResourceVersion);
        Assert.Null(all.Continue);
        Assert.Null(all.RemainingItemCount);
    }

    [Fact]
    public void List_of_an_unknown_or_empty_kind_is_empty()
    {
        Assert.Empty(Store.List(TestTypes.Node, null, new()).Items);
    }

    [Fact]
    public void List_applies_label_and_field_selectors()
    {
        Create(TestTypes.Device, Json.Device("thermo-1", labels: Json.Labels(("zone", "north"))));
        Create(TestTypes.Device, Json.Device("thermo-2", room: "lab-2", labels: Json.Labels(("zone", "north"))));
        Create(TestTypes.Device, Json.Device("thermo-3", labels: Json.Labels(("zone", "south"))));

        var selected = Store.List(TestTypes.Device, "lab", new ListOptions(LabelSelector: "zone in (north)", FieldSelector: "spec.room=lab-1"));

        Assert.Equal(["thermo-1"], selected.Items.Select(d => d.Name()));
    }

    [Fact]
    public void Malformed_selector_is_a_bad_request()
    {
        Assert.Equal(400, Fails(() => Store.List(TestTypes.Device, "lab", new ListOptions(LabelSelector: "zone in north"))).Code);
        Assert.Equal(400, Fails(() => Store.List(TestTypes.Device, "lab", new ListOptions(FieldSelector: "spec.room"))).Code);
    }

    [Fact]
    public void Pagination_over_25_items_with_limit_10_returns_three_pages()
    {
        for (var i = 1; i <= 25; i++)
        {
            Create(TestTypes.ConfigMap, Json.ConfigMap($"item-{i:00}"));
        }

        var listVersion = Store.ResourceVersion;

        var first = Store.List(TestTypes.ConfigMap, "lab", new ListOptions(Limit: 10));
        // Sorts before the cursor, so later pages do not include it; their resourceVersion stays the first page's.
        Create(TestTypes.ConfigMap, Json.ConfigMap("added-between-pages"));
        var second = Store.List(TestTypes.ConfigMap, "lab", new ListOptions(Limit: 10, Continue: first.Continue));
        var third = Store.List(TestTypes.ConfigMap, "lab", new ListOptions(Limit: 10, Continue: second.Continue));

        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"item-{i:00}"), first.Items.Select(c => c.Name()));
        Assert.Equal(Enumerable.Range(11, 10).Select(i => $"item-{i:00}"), second.Items.Select(c => c.Name()));
        Assert.Equal(Enumerable.Range(21, 5).Select(i => $"item-{i:00}"), third.Items.Select(c => c.Name()));
        Assert.Equal([15L, 5L, null], new[] { first, second, third }.Select(p => p.RemainingItemCount));
        Assert.NotNull(second.Continue);
        Assert.Null(third.Continue);
        // Every page reports the first page's resourceVersion, so a watch from it misses nothing made while paging.
        Assert.All(new[] { first, second, third }, page => Assert.Equal(listVersion, page.ResourceVersion));
    }

    [Fact]
    public void Pages_reflect_the_current_state_after_the_last_key()
    {
        foreach (var name in new[] { "a", "c", "e" })
        {
            Create(TestTypes.ConfigMap, Json.ConfigMap(name));
        }

        var first = Store.List(TestTypes.ConfigMap, "lab", new ListOptions(Limit: 1));
        Create(TestTypes.ConfigMap, Json.ConfigMap("b"));
        Create(TestTypes.ConfigMap, Json.ConfigMap("d"));
        Delete(TestTypes.ConfigMap, "lab", "e");
        var rest = Store.List(TestTypes.ConfigMap, "lab", new ListOptions(Continue: first.Continue));

        Assert.Equal(["b", "c", "d"], rest.Items.Select(c => c.Name()));
    }

    [Fact]
    public void Pagination_applies_the_namespace_and_selectors_on_every_page()
    {
        CreateNamespace("annex");
        for (var i = 1; i <= 6; i++)
        {
            Create(TestTypes.ConfigMap, Json.ConfigMap($"item-{i}", labels: Json.Labels(("even", $"{i % 2 == 0}"))));
            Create(TestTypes.ConfigMap, Json.ConfigMap($"item-{i}", ns: "annex"));
        }

        var first = Store.List(TestTypes.ConfigMap, "lab", new ListOptions(LabelSelector: "even=True", Limit: 2));
        var second = Store.List(TestTypes.ConfigMap, "lab", new ListOptions(LabelSelector: "even=True", Limit: 2, Continue: first.Continue));

        Assert.Equal(["item-2", "item-4"], first.Items.Select(c => c.Name()));
        Assert.Equal(1, first.RemainingItemCount);
        Assert.Equal(["item-6"], second.Items.Select(c => c.Name()));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("bm90IGpzb24")]
    [InlineData("e30")]
    public void Malformed_continue_token_is_a_bad_request(string token)
    {
        var error = Fails(() => Store.List(TestTypes.ConfigMap, "lab", new ListOptions(Limit: 1, Continue: token)));

        Assert.Equal((400, "BadRequest"), (error.Code, error.Reason));
        Assert.StartsWith("invalid continue token: ", error.Message, StringComparison.Ordinal);
    }
}
