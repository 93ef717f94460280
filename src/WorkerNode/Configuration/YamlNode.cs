namespace WorkerNode.Configuration;

/// <summary>A node of a YAML document as the config reader needs it; no YamlDotNet type leaks out of it.</summary>
internal sealed class YamlNode
{
    private YamlNode(YamlNodeKind kind, string? text, bool isNull, long line, long column, List<KeyValuePair<YamlNode, YamlNode>>? pairs)
    {
        Kind = kind;
        Text = text;
        IsNull = isNull;
        Line = line;
        Column = column;
        Pairs = pairs;
    }

    public YamlNodeKind Kind { get; }

    /// <summary>A scalar's text; null for collections.</summary>
    public string? Text { get; }

    /// <summary>YAML's null: an empty or missing value, or a plain <c>~</c>/<c>null</c>. A quoted "~" is a string.</summary>
    public bool IsNull { get; }

    /// <summary>1-based line of the node's start.</summary>
    public long Line { get; }

    /// <summary>1-based column of the node's start.</summary>
    public long Column { get; }

    /// <summary>A mapping's key/value pairs in document order; null for other kinds.</summary>
    public List<KeyValuePair<YamlNode, YamlNode>>? Pairs { get; }

    public static YamlNode Scalar(string text, bool plain, long line, long column) =>
        new(YamlNodeKind.Scalar, text, plain && text is "" or "~" or "null" or "Null" or "NULL", line, column, null);

    public static YamlNode Empty(long line, long column) => new(YamlNodeKind.Scalar, string.Empty, true, line, column, null);

    public static YamlNode Mapping(long line, long column) => new(YamlNodeKind.Mapping, null, false, line, column, []);

    public static YamlNode Sequence(long line, long column) => new(YamlNodeKind.Sequence, null, false, line, column, null);
}
