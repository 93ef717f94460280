using System.CommandLine;
using System.Globalization;

namespace WorkerNode.Cli;

/// <summary>Required numeric id flags (--task_instance_id 12): a clear usage error for anything but a whole number.</summary>
internal static class IdOption
{
    public static Option<long> Create(string name, string description, long minimum) => new(name)
    {
        Description = description,
        Required = true,
        HelpName = "N",
        CustomParser = result =>
        {
            var token = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum)
            {
                return value;
            }

            result.AddError($"{name}: '{token}' is not a whole number of at least {minimum}");
            return 0;
        },
    };
}
