namespace WorkerNode.Configuration;

/// <summary>The three kinds of YAML node.</summary>
internal enum YamlNodeKind
{
    Scalar,
    Mapping,
    Sequence,
}
