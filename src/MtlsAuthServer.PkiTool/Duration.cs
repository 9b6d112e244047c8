using System.Globalization;

namespace MtlsAuthServer.PkiTool;

/// <summary>Durations as people type them: <c>90s</c>, <c>30m</c>, <c>12h</c>, <c>7d</c>, or a .NET TimeSpan (<c>1.00:00:00</c>).</summary>
internal static class Duration
{
    public static TimeSpan Parse(string text, string option)
    {
        var value = text.Trim();
        if (value.Length > 1 && double.TryParse(value[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) && amount > 0)
        {
            TimeSpan? parsed = char.ToLowerInvariant(value[^1]) switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (parsed is { } result)
            {
                return result;
            }
        }

        return TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero
            ? span
            : throw new PkiToolException($"{option}: '{text}' is not a positive duration (examples: 90s, 30m, 12h, 7d, 1.00:00:00).");
    }
}
