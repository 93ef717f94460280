using YamlDotNet.Core;
using YamlDotNet.Core.Tokens;

namespace WorkerNode.Configuration;

/// <summary>
/// Builds a <see cref="YamlNode"/> tree from YamlDotNet's low-level <see cref="Scanner"/>, following libyaml's
/// grammar (block and flow collections, indentless sequences, anchors and aliases; tags are ignored).
/// </summary>
/// <remarks>
/// Why not YamlStream: YamlDotNet's Parser always touches its default tag directives, whose type builds a
/// <c>RegexOptions.Compiled</c> regex (Reflection.Emit) in its static constructor: about 20 ms on every task
/// start that has a config file, against about 5 ms for this reader. Sequences are checked but not kept: no
/// key of ours takes a list.
/// </remarks>
internal sealed class YamlTreeReader
{
    private const int MaxDepth = 64;
    private readonly Scanner scanner;
    private readonly Dictionary<string, YamlNode> anchors = new(StringComparer.Ordinal);
    private Token? peeked;
    private int depth;

    private YamlTreeReader(string text)
    {
        scanner = new Scanner(new StringReader(text), skipComments: true);
    }

    /// <summary>
    /// The first document's root (null for an empty stream) and whether a second document follows, where
    /// reading stops. Throws <see cref="YamlException"/>, with a position, for anything that is not YAML.
    /// </summary>
    public static (YamlNode? Root, bool MoreDocuments) Read(string text) => new YamlTreeReader(text).ReadStream();

    private (YamlNode? Root, bool MoreDocuments) ReadStream()
    {
        Expect<StreamStart>("stream start");
        YamlNode? root = null;
        var documents = 0;
        var open = false;
        var hasContent = false;
        while (true)
        {
            var token = Peek();
            switch (token)
            {
                case StreamEnd:
                    return (root, false);
                case VersionDirective or TagDirective:
                    Next();
                    break;
                case DocumentEnd:
                    Next();
                    open = false;
                    break;
                case DocumentStart:
                    Next();
                    if (++documents > 1)
                    {
                        return (root, true);
                    }

                    (open, hasContent) = (true, false);
                    break;
                default:
                    if (!open)
                    {
                        if (++documents > 1)
                        {
                            return (root, true);
                        }

                        (open, hasContent) = (true, false);
                    }
                    else if (hasContent)
                    {
                        throw Error(token, "did not find expected <document start>");
                    }

                    root = ReadNode(block: true, indentlessSequence: false);
                    hasContent = true;
                    break;
            }
        }
    }

    private YamlNode ReadNode(bool block, bool indentlessSequence)
    {
        if (++depth > MaxDepth)
        {
            throw Error(Peek(), $"nested deeper than {MaxDepth} levels");
        }

        string? anchor = null;
        var start = Peek();
        while (Peek() is Anchor or Tag)
        {
            if (Next() is Anchor named)
            {
                anchor = named.Value.Value;
            }
        }

        var token = Peek();
        var node = token switch
        {
            AnchorAlias alias => ReadAlias(alias),
            Scalar scalar => ReadScalar(scalar),
            BlockMappingStart when block => ReadBlockMapping(),
            BlockSequenceStart when block => ReadBlockSequence(),
            BlockEntry when block && indentlessSequence => ReadIndentlessSequence(),
            FlowMappingStart => ReadFlowMapping(),
            FlowSequenceStart => ReadFlowSequence(),

            // Properties with no content (key: &a) make an empty node.
            _ when !ReferenceEquals(start, token) => YamlNode.Empty(token.Start.Line, token.Start.Column),
            _ => throw Error(token, "did not find expected node content"),
        };

        if (anchor is not null)
        {
            anchors[anchor] = node;
        }

        depth--;
        return node;
    }

    private YamlNode ReadAlias(AnchorAlias alias)
    {
        Next();
        return anchors.TryGetValue(alias.Value.Value, out var node)
            ? node
            : throw Error(alias, $"unknown alias *{alias.Value.Value}");
    }

    private YamlNode ReadScalar(Scalar scalar)
    {
        Next();
        return YamlNode.Scalar(scalar.Value, scalar.Style is ScalarStyle.Plain or ScalarStyle.Any, scalar.Start.Line, scalar.Start.Column);
    }

    private YamlNode ReadBlockMapping()
    {
        var start = Next();
        var mapping = YamlNode.Mapping(start.Start.Line, start.Start.Column);
        while (true)
        {
            var token = Peek();
            if (token is BlockEnd)
            {
                Next();
                return mapping;
            }

            YamlNode key;
            if (token is Key)
            {
                Next();
                key = Peek() is Key or Value or BlockEnd ? Empty(token) : ReadNode(block: true, indentlessSequence: true);
            }
            else if (token is Value)
            {
                key = Empty(token);
            }
            else
            {
                throw Error(token, "while parsing a block mapping, did not find expected key");
            }

            var value = Empty(Peek());
            if (Peek() is Value)
            {
                Next();
                value = Peek() is Key or Value or BlockEnd ? Empty(Peek()) : ReadNode(block: true, indentlessSequence: true);
            }

            Add(mapping, key, value);
        }
    }

    private YamlNode ReadBlockSequence()
    {
        var start = Next();
        while (true)
        {
            var token = Peek();
            if (token is BlockEnd)
            {
                Next();
                return YamlNode.Sequence(start.Start.Line, start.Start.Column);
            }

            if (token is not BlockEntry)
            {
                throw Error(token, "while parsing a block collection, did not find expected '-' indicator");
            }

            Next();
            if (Peek() is not (BlockEntry or BlockEnd))
            {
                ReadNode(block: true, indentlessSequence: false);
            }
        }
    }

    private YamlNode ReadIndentlessSequence()
    {
        var start = Peek();
        while (Peek() is BlockEntry)
        {
            Next();
            if (Peek() is not (BlockEntry or Key or Value or BlockEnd))
            {
                ReadNode(block: true, indentlessSequence: false);
            }
        }

        return YamlNode.Sequence(start.Start.Line, start.Start.Column);
    }

    private YamlNode ReadFlowSequence()
    {
        var start = Next();
        for (var first = true; ; first = false)
        {
            if (!FlowContinues<FlowSequenceEnd>(first, "',' or ']'"))
            {
                return YamlNode.Sequence(start.Start.Line, start.Start.Column);
            }

            // [a: 1] is a one-pair mapping inside the sequence; its content does not matter here.
            if (Peek() is Key)
            {
                ReadFlowPair<FlowSequenceEnd>();
            }
            else
            {
                ReadNode(block: false, indentlessSequence: false);
            }
        }
    }

    private YamlNode ReadFlowMapping()
    {
        var start = Next();
        var mapping = YamlNode.Mapping(start.Start.Line, start.Start.Column);
        for (var first = true; ; first = false)
        {
            if (!FlowContinues<FlowMappingEnd>(first, "',' or '}'"))
            {
                return mapping;
            }

            var (key, value) = Peek() is Key or Value
                ? ReadFlowPair<FlowMappingEnd>()
                : (ReadNode(block: false, indentlessSequence: false), Empty(Peek()));
            Add(mapping, key, value);
        }
    }

    // Consumes the ',' between entries; false (with the closing bracket consumed) at the end of the collection.
    private bool FlowContinues<TEnd>(bool first, string expected)
        where TEnd : Token
    {
        if (Peek() is TEnd)
        {
            Next();
            return false;
        }

        if (!first)
        {
            if (Peek() is not FlowEntry)
            {
                throw Error(Peek(), $"while parsing a flow collection, did not find expected {expected}");
            }

            Next();
            if (Peek() is TEnd)
            {
                Next();
                return false;
            }
        }

        return true;
    }

    private (YamlNode Key, YamlNode Value) ReadFlowPair<TEnd>()
        where TEnd : Token
    {
        var key = Empty(Peek());
        if (Peek() is Key)
        {
            Next();
            if (Peek() is not (Value or FlowEntry or TEnd))
            {
                key = ReadNode(block: false, indentlessSequence: false);
            }
        }

        var value = Empty(Peek());
        if (Peek() is Value)
        {
            Next();
            if (Peek() is not (FlowEntry or TEnd))
            {
                value = ReadNode(block: false, indentlessSequence: false);
            }
        }

        return (key, value);
    }

    private static void Add(YamlNode mapping, YamlNode key, YamlNode value)
    {
        var pairs = mapping.Pairs!;
        if (key is { Kind: YamlNodeKind.Scalar, IsNull: false })
        {
            foreach (var pair in pairs)
            {
                if (pair.Key.Kind == YamlNodeKind.Scalar && pair.Key.Text == key.Text)
                {
                    throw new YamlException(new Mark(0, key.Line, key.Column), new Mark(0, key.Line, key.Column), $"duplicate key {key.Text}");
                }
            }
        }

        pairs.Add(new KeyValuePair<YamlNode, YamlNode>(key, value));
    }

    private static YamlNode Empty(Token at) => YamlNode.Empty(at.Start.Line, at.Start.Column);

    private void Expect<T>(string what)
        where T : Token
    {
        if (Next() is not T)
        {
            throw Error(peeked ?? scanner.Current!, $"did not find expected <{what}>");
        }
    }

    private Token Peek()
    {
        if (peeked is null)
        {
            if (!scanner.MoveNext())
            {
                throw new YamlException(scanner.CurrentPosition, scanner.CurrentPosition, "unexpected end of the file");
            }

            peeked = scanner.Current!;
        }

        return peeked;
    }

    private Token Next()
    {
        var token = Peek();
        peeked = null;
        return token;
    }

    private static YamlException Error(Token at, string message) => new(at.Start, at.End, message);
}
