using System.Text.Json.Nodes;

using Iot.LocalCluster.Storage;

namespace Iot.LocalCluster.Tests.Storage;

public sealed class FieldSelectorTests
{
    private static readonly JsonObject Event = Json.Parse("""
        {
          "metadata": {"name": "thermo-1.17a", "namespace": "lab"},
          "involvedObject": {"kind": "Device", "name": "thermo-1"},
          "count": 3,
          "status": {"phase": "Running", "ready": true},
          "note": "a,b=c\\d"
        }
        """);

    [Theory]
    [InlineData("", true)]
    [InlineData("metadata.name=thermo-1.17a", true)]
    [InlineData("metadata.name==thermo-1.17a", true)]
    [InlineData("metadata.name!=thermo-1.17a", false)]
    [InlineData("metadata.namespace=lab,involvedObject.name=thermo-1", true)]
    [InlineData("metadata.namespace=lab,involvedObject.name=thermo-2", false)]
    [InlineData("status.phase!=Succeeded", true)]
    [InlineData("status.ready=true", true)]
    [InlineData("count=3", true)]
    [InlineData("spec.nodeName=", true)]
    [InlineData("spec.nodeName!=", false)]
    [InlineData("spec.nodeName!=node-1", true)]
    [InlineData(@"note=a\,b\=c\\d", true)]
    [InlineData(" metadata.name = thermo-1.17a ", true)]
    public void Selector_compares_the_value_at_a_dotted_path(string selector, bool matches)
    {
        Assert.Equal(matches, FieldSelector.Parse(selector).Matches(Event));
    }

    [Theory]
    [InlineData("metadata.name", "invalid selector: 'metadata.name'; can't understand 'metadata.name'")]
    [InlineData("a=b,status.phase", "invalid selector: 'a=b,status.phase'; can't understand 'status.phase'")]
    [InlineData("=x", "invalid selector: '=x'; can't understand '=x'")]
    [InlineData("a=b=c", "invalid field selector: unescaped character in value: =")]
    [InlineData(@"a=b\x", @"invalid field selector: invalid escape sequence: \x")]
    [InlineData(@"a=b\", @"invalid field selector: invalid escape sequence: \")]
    public void Malformed_selector_is_a_bad_request_naming_the_problem(string selector, string message)
    {
        var error = Assert.Throws<ApiException>(() => FieldSelector.Parse(selector));

        Assert.Equal(400, error.Code);
        Assert.Equal("BadRequest", error.Reason);
        Assert.Equal(message, error.Message);
    }
}
