using System.Text.Json.Nodes;

using Iot.LocalCluster.Patching;

namespace Iot.LocalCluster.Tests.Patching;

public sealed class JsonMergePatchTests
{
    [Theory]
    // RFC 7386, Appendix A.
    [InlineData("{'a':'b'}", "{'a':'c'}", "{'a':'c'}")]
    [InlineData("{'a':'b'}", "{'b':'c'}", "{'a':'b','b':'c'}")]
    [InlineData("{'a':'b'}", "{'a':null}", "{}")]
    [InlineData("{'a':'b','b':'c'}", "{'a':null}", "{'b':'c'}")]
    [InlineData("{'a':['b']}", "{'a':'c'}", "{'a':'c'}")]
    [InlineData("{'a':'c'}", "{'a':['b']}", "{'a':['b']}")]
    [InlineData("{'a':{'b':'c'}}", "{'a':{'b':'d','c':null}}", "{'a':{'b':'d'}}")]
    [InlineData("{'a':[{'b':'c'}]}", "{'a':[1]}", "{'a':[1]}")]
    [InlineData("['a','b']", "['c','d']", "['c','d']")]
    [InlineData("{'a':'b'}", "['c']", "['c']")]
    [InlineData("{'a':'foo'}", "null", "null")]
    [InlineData("{'a':'foo'}", "'bar'", "'bar'")]
    [InlineData("{'e':null}", "{'a':1}", "{'e':null,'a':1}")]
    [InlineData("[1,2]", "{'a':'b','c':null}", "{'a':'b'}")]
    [InlineData("{}", "{'a':{'bb':{'ccc':null}}}", "{'a':{'bb':{}}}")]
    public void Follows_the_RFC_7386_examples(string target, string patch, string expected)
    {
        Json.Equal(expected, JsonMergePatch.Apply(Json.Parse(target), Json.Parse(patch)));
    }

    [Fact]
    public void Merges_the_RFC_7386_section_3_document()
    {
        JsonNode? target = Json.Parse("""
            {'title':'Goodbye!','author':{'givenName':'John','familyName':'Doe'},'tags':['example','sample'],'content':'This will be unchanged'}
            """);
        JsonNode? patch = Json.Parse("""
            {'title':'Hello!','phoneNumber':'+01-123-456-7890','author':{'familyName':null},'tags':['example']}
            """);

        Json.Equal("""
            {'title':'Hello!','author':{'givenName':'John'},'tags':['example'],'content':'This will be unchanged','phoneNumber':'+01-123-456-7890'}
            """, JsonMergePatch.Apply(target, patch));
    }

    [Fact]
    public void Leaves_its_inputs_untouched()
    {
        JsonNode? target = Json.Parse("{'a':{'b':1,'c':2}}");
        JsonNode? patch = Json.Parse("{'a':{'b':null,'d':{'e':3}}}");

        JsonNode? result = JsonMergePatch.Apply(target, patch);

        Json.Equal("{'a':{'c':2,'d':{'e':3}}}", result);
        Json.Equal("{'a':{'b':1,'c':2}}", target);
        Json.Equal("{'a':{'b':null,'d':{'e':3}}}", patch);
    }

    [Fact]
    public void Creates_a_document_from_nothing()
    {
        Json.Equal("{'a':1}", JsonMergePatch.Apply(null, Json.Parse("{'a':1,'b':null}")));
    }
}
