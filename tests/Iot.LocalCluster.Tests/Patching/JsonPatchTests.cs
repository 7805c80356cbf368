using System.Text.Json.Nodes;

using Iot.LocalCluster.Patching;

namespace Iot.LocalCluster.Tests.Patching;

public sealed class JsonPatchTests
{
    [Theory]
    // RFC 6902, Appendix A (the successful examples).
    [InlineData("A.1 add an object member", "{'foo':'bar'}", "[{'op':'add','path':'/baz','value':'qux'}]", "{'baz':'qux','foo':'bar'}")]
    [InlineData("A.2 add an array element", "{'foo':['bar','baz']}", "[{'op':'add','path':'/foo/1','value':'qux'}]", "{'foo':['bar','qux','baz']}")]
    [InlineData("A.3 remove an object member", "{'baz':'qux','foo':'bar'}", "[{'op':'remove','path':'/baz'}]", "{'foo':'bar'}")]
    [InlineData("A.4 remove an array element", "{'foo':['bar','qux','baz']}", "[{'op':'remove','path':'/foo/1'}]", "{'foo':['bar','baz']}")]
    [InlineData("A.5 replace a value", "{'baz':'qux','foo':'bar'}", "[{'op':'replace','path':'/baz','value':'boo'}]", "{'baz':'boo','foo':'bar'}")]
    [InlineData("A.6 move a value", "{'foo':{'bar':'baz','waldo':'fred'},'qux':{'corge':'grault'}}", "[{'op':'move','from':'/foo/waldo','path':'/qux/thud'}]", "{'foo':{'bar':'baz'},'qux':{'corge':'grault','thud':'fred'}}")]
    [InlineData("A.7 move an array element", "{'foo':['all','grass','cows','eat']}", "[{'op':'move','from':'/foo/1','path':'/foo/3'}]", "{'foo':['all','cows','eat','grass']}")]
    [InlineData("A.8 test a value", "{'baz':'qux','foo':['a',2,'c']}", "[{'op':'test','path':'/baz','value':'qux'},{'op':'test','path':'/foo/1','value':2}]", "{'baz':'qux','foo':['a',2,'c']}")]
    [InlineData("A.10 add a nested member object", "{'foo':'bar'}", "[{'op':'add','path':'/child','value':{'grandchild':{}}}]", "{'foo':'bar','child':{'grandchild':{}}}")]
    [InlineData("A.11 ignore unrecognized elements", "{'foo':'bar'}", "[{'op':'add','path':'/baz','value':'qux','xyz':123}]", "{'foo':'bar','baz':'qux'}")]
    [InlineData("A.14 ~ escape ordering", "{'/':9,'~1':10}", "[{'op':'test','path':'/~01','value':10}]", "{'/':9,'~1':10}")]
    [InlineData("A.16 add an array value", "{'foo':['bar']}", "[{'op':'add','path':'/foo/-','value':['abc','def']}]", "{'foo':['bar',['abc','def']]}")]
    public void Follows_the_RFC_6902_examples(string example, string target, string operations, string expected)
    {
        Assert.NotEmpty(example);
        Json.Equal(expected, JsonPatch.Apply(Json.Parse(target), Json.Array(operations)));
    }

    [Theory]
    // RFC 6902, Appendix A (the failing examples).
    [InlineData("A.9 a failed test", "{'baz':'qux'}", "[{'op':'test','path':'/baz','value':'bar'}]")]
    [InlineData("A.12 add to a nonexistent target", "{'foo':'bar'}", "[{'op':'add','path':'/baz/bat','value':'qux'}]")]
    [InlineData("A.15 a string is not a number", "{'/':9,'~1':10}", "[{'op':'test','path':'/~01','value':'10'}]")]
    public void Rejects_the_RFC_6902_error_examples(string example, string target, string operations)
    {
        Assert.NotEmpty(example);
        Assert.Throws<PatchException>(() => JsonPatch.Apply(Json.Parse(target), Json.Array(operations)));
    }

    [Fact]
    public void Copies_a_value()
    {
        JsonNode? result = JsonPatch.Apply(Json.Parse("{'a':{'b':[1]}}"), Json.Array("[{'op':'copy','from':'/a/b','path':'/c'}]"));

        Json.Equal("{'a':{'b':[1]},'c':[1]}", result);
    }

    [Fact]
    public void Replaces_an_array_element_in_place()
    {
        JsonNode? result = JsonPatch.Apply(Json.Parse("{'a':[1,2,3]}"), Json.Array("[{'op':'replace','path':'/a/1','value':null}]"));

        Json.Equal("{'a':[1,null,3]}", result);
    }

    [Fact]
    public void Replaces_the_whole_document_at_the_empty_path()
    {
        Json.Equal("[1]", JsonPatch.Apply(Json.Parse("{'a':1}"), Json.Array("[{'op':'replace','path':'','value':[1]}]")));
    }

    [Fact]
    public void Addresses_members_with_slash_and_tilde_through_escapes()
    {
        JsonNode? result = JsonPatch.Apply(
            Json.Parse("{'metadata':{'labels':{'app.kubernetes.io/name':'x'}}}"),
            Json.Array("[{'op':'replace','path':'/metadata/labels/app.kubernetes.io~1name','value':'y'},{'op':'add','path':'/metadata/labels/a~0b','value':'z'}]"));

        Json.Equal("{'metadata':{'labels':{'app.kubernetes.io/name':'y','a~b':'z'}}}", result);
    }

    [Fact]
    public void Names_the_failing_operation_index_and_path()
    {
        JsonArray operations = Json.Array("[{'op':'add','path':'/a','value':1},{'op':'remove','path':'/missing'}]");

        PatchException error = Assert.Throws<PatchException>(() => JsonPatch.Apply(Json.Parse("{}"), operations));

        Assert.Contains("operation 1", error.Message);
        Assert.Contains("/missing", error.Message);
    }

    [Theory]
    [InlineData("replace of a missing member", "[{'op':'replace','path':'/missing','value':1}]")]
    [InlineData("remove past the end", "[{'op':'remove','path':'/list/2'}]")]
    [InlineData("add past the end", "[{'op':'add','path':'/list/3','value':1}]")]
    [InlineData("an index with a leading zero", "[{'op':'add','path':'/list/01','value':1}]")]
    [InlineData("'-' outside add", "[{'op':'remove','path':'/list/-'}]")]
    [InlineData("a move into its own child", "[{'op':'move','from':'/object','path':'/object/inner'}]")]
    [InlineData("a copy from a missing member", "[{'op':'copy','from':'/missing','path':'/b'}]")]
    [InlineData("an unknown operation", "[{'op':'merge','path':'/object'}]")]
    [InlineData("an operation without op", "[{'path':'/object'}]")]
    [InlineData("add without value", "[{'op':'add','path':'/b'}]")]
    [InlineData("a pointer without a leading slash", "[{'op':'add','path':'b','value':1}]")]
    [InlineData("a bad escape", "[{'op':'add','path':'/a~2','value':1}]")]
    public void Rejects(string what, string operations)
    {
        Assert.NotEmpty(what);
        Assert.Throws<PatchException>(() => JsonPatch.Apply(Json.Parse("{'list':[1,2],'object':{}}"), Json.Array(operations)));
    }

    [Fact]
    public void Leaves_its_inputs_untouched()
    {
        JsonNode? target = Json.Parse("{'a':[1,2]}");
        JsonArray operations = Json.Array("[{'op':'add','path':'/a/-','value':{'b':1}},{'op':'remove','path':'/a/0'}]");

        JsonNode? result = JsonPatch.Apply(target, operations);

        Json.Equal("{'a':[2,{'b':1}]}", result);
        Json.Equal("{'a':[1,2]}", target);
        Json.Equal("[{'op':'add','path':'/a/-','value':{'b':1}},{'op':'remove','path':'/a/0'}]", operations);
    }
}
