using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.PkiTool;

/// <summary>RFC 5280 §5.3.1 reason codes as typed on the command line: <c>key-compromise</c>, <c>keyCompromise</c>, <c>superseded</c>, …</summary>
internal static class RevocationReasons
{
    private static readonly X509RevocationReason[] Supported =
    [
        X509RevocationReason.Unspecified, X509RevocationReason.KeyCompromise, X509RevocationReason.CACompromise,
        X509RevocationReason.AffiliationChanged, X509RevocationReason.Superseded, X509RevocationReason.CessationOfOperation,
        X509RevocationReason.PrivilegeWithdrawn,
    ];

    public static string Help => string.Join(", ", Supported.Select(Name));

    public static X509RevocationReason Parse(string text)
    {
        var compact = text.Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal);
        foreach (var reason in Supported)
        {
            if (string.Equals(reason.ToString(), compact, StringComparison.OrdinalIgnoreCase))
            {
                return reason;
            }
        }

        throw new PkiToolException($"--reason: '{text}' is not one of {Help}.");
    }

    /// <summary>The RFC 5280 spelling (<c>keyCompromise</c>).</summary>
    public static string Name(X509RevocationReason reason) => reason switch
    {
        X509RevocationReason.CACompromise => "cACompromise",
        _ => char.ToLowerInvariant(reason.ToString()[0]) + reason.ToString()[1..],
    };
}
