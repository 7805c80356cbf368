namespace Iot.Api.Expressions;

/// <summary>
/// EdgeRule expressions: the conditions of rules, written in a small subset of CEL
/// (<see href="https://github.com/google/cel-spec"/>) and checked against the telemetry of the devices a rule selects.
/// </summary>
/// <remarks>
/// <para>Examples:</para>
/// <code>
/// temperature &gt; 30 &amp;&amp; humidity &lt; 20
/// device.labels["zone"] == "north" ? temperature &gt; 25 : temperature &gt; 30
/// abs(temperature - 21) &gt; 3
/// has(humidity) &amp;&amp; humidity &gt; 80
/// room in ["lab-1", "lab-2"]
/// "zone" in device.labels &amp;&amp; device.labels.zone != "outside"
/// </code>
/// <para><b>Literals</b>: integers (<c>42</c>), numbers (<c>3.5</c>, <c>1e3</c>, <c>2.5e-3</c>), strings in single or
/// double quotes with the escapes <c>\\ \' \" \n \t</c> (<c>'it\'s'</c>, <c>"a\tb"</c>), <c>true</c> and <c>false</c>.
/// A leading minus is the negation operator.</para>
/// <para><b>Names</b> (<c>[A-Za-z_][A-Za-z0-9_]*</c>, case-sensitive) are telemetry fields of the message being evaluated,
/// e.g. <c>temperature</c>, except two special names: <c>device</c>, whose members are <c>device.id</c> (string),
/// <c>device.type</c> (string) and <c>device.labels</c> (map&lt;string, string&gt;, read with <c>device.labels["zone"]</c>
/// or <c>device.labels.zone</c>), and <c>room</c> (string: the device's room, possibly empty).</para>
/// <para><b>Operators</b>, from lowest to highest precedence, as in CEL:</para>
/// <list type="number">
/// <item><c>c ? a : b</c> (right-associative: <c>a ? b : c ? d : e</c> is <c>a ? b : (c ? d : e)</c>)</item>
/// <item><c>||</c></item>
/// <item><c>&amp;&amp;</c></item>
/// <item><c>&lt; &lt;= &gt; &gt;= == != in</c></item>
/// <item><c>+ -</c></item>
/// <item><c>* / %</c></item>
/// <item>prefix <c>! -</c></item>
/// <item>member <c>a.b</c>, index <c>a[k]</c>, call <c>f(x)</c></item>
/// </list>
/// <para>Binary operators are left-associative; parentheses group; list literals <c>[a, b, c]</c> serve <c>in</c>.</para>
/// <para><b>Functions</b>: <c>abs(x)</c>; <c>round(x)</c> (to the nearest whole number); <c>min(a, b, ...)</c> and
/// <c>max(a, b, ...)</c> with two or more numbers; and the macro <c>has(x)</c>, true when the field <c>x</c> is present in
/// the message, or with <c>has(device.labels.k)</c> / <c>has(device.labels["k"])</c> when the device has label <c>k</c>.
/// Guard fields that not every message carries, and labels not every device has, with <c>has</c>.</para>
/// <para><b>Types</b>: integer, number, boolean, string, map&lt;string, string&gt; (<c>device.labels</c>), list&lt;T&gt;, and
/// dyn for fields of unknown type. Integers and numbers mix in arithmetic and comparison; arithmetic on two integers
/// stays integer except <c>/</c>, which always gives a number. Arithmetic needs numbers, and <c>+</c> also
/// concatenates strings. <c>&lt; &lt;= &gt; &gt;=</c> compare two numbers or two strings; <c>== !=</c> compare values of the
/// same type; <c>&amp;&amp; || !</c> and the condition of <c>?:</c> need booleans, and both branches of <c>?:</c> have the
/// same type. <c>x in [list]</c> needs <c>x</c> of the elements' type; <c>"k" in device.labels</c> tests for a label key.
/// A rule condition as a whole must be boolean.</para>
/// </remarks>
public static class RuleExpression
{
    /// <summary>
    /// Lexes and parses <paramref name="text"/>. Never throws for bad input: the first syntax error is returned
    /// with its position instead.
    /// </summary>
    public static ExpressionParseResult Parse(string text) => Parser.Parse(text);

    /// <summary>
    /// Parses <paramref name="text"/> and type-checks it against <paramref name="scope"/> as a rule condition, which
    /// must be boolean. Reports the first syntax error, or every type error.
    /// </summary>
    public static ExpressionCheckResult Check(string text, ExpressionScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var parsed = Parse(text);
        return parsed.Root is null || parsed.Errors.Count > 0
            ? new ExpressionCheckResult(null, parsed.Errors, new SortedSet<string>(StringComparer.Ordinal))
            : TypeChecker.Check(parsed.Root, scope);
    }
}
