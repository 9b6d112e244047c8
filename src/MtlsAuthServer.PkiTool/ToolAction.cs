using System.CommandLine;
using System.Security.Cryptography;

namespace MtlsAuthServer.PkiTool;

/// <summary>A problem the user can fix (a missing file, a bad option value); printed as one line, exit code 1.</summary>
public sealed class PkiToolException(string message) : Exception(message);

internal static class ToolAction
{
    /// <summary>Runs a command body, turning expected failures into one readable line and exit code 1.</summary>
    public static int Run(ParseResult parse, Action<TextWriter> body)
    {
        var configuration = parse.InvocationConfiguration;
        try
        {
            body(configuration.Output);
            return 0;
        }
        catch (Exception exception) when (exception is PkiToolException or IOException or UnauthorizedAccessException
            or CryptographicException or InvalidDataException or InvalidOperationException or ArgumentException)
        {
            configuration.Error.WriteLine($"mtls-pki {parse.CommandResult.Command.Name}: {exception.Message}");
            return 1;
        }
    }
}
