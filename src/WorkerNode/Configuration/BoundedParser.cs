using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace WorkerNode.Configuration;

/// <summary>
/// Passes YamlDotNet's parser events through, refusing a document nested deeper than <see cref="MaxDepth"/>
/// (YamlStream builds its nodes recursively: a file of ten thousand '[' would overflow the stack and kill the
/// worker) or longer than <see cref="MaxEvents"/> events (a config file of a few dozen keys is far below it).
/// </summary>
internal sealed class BoundedParser : IParser
{
    public const int MaxDepth = 64;
    public const int MaxEvents = 100_000;

    private readonly IParser _inner;
    private int _depth;
    private int _events;

    public BoundedParser(IParser inner) => _inner = inner;

    public ParsingEvent? Current => _inner.Current;

    public bool MoveNext()
    {
        if (!_inner.MoveNext())
        {
            return false;
        }

        var current = _inner.Current!;
        if (++_events > MaxEvents)
        {
            throw new YamlException(current.Start, current.End, $"more than {MaxEvents} YAML nodes; a config file needs far fewer");
        }

        _depth += current.NestingIncrease;
        if (_depth > MaxDepth + 2)
        {
            // +2: the stream and the document are levels of their own.
            throw new YamlException(current.Start, current.End, $"nested deeper than {MaxDepth} levels");
        }

        return true;
    }
}
