using System.CommandLine;
using MtlsAuthServer.PkiTool.Commands;

namespace MtlsAuthServer.PkiTool;

/// <summary>
/// The <c>mtls-pki</c> command line. Every command is a thin layer over <c>MtlsAuthServer.Pki</c> (the code
/// the server's development PKI and the tests mint with); this assembly only parses, prints and picks files.
/// </summary>
public static class PkiToolProgram
{
    /// <summary>Runs one command line; output and errors go to the given writers (tests pass their own).</summary>
    /// <returns>0 on success, 1 on an error or a usage error (the message says which option or file).</returns>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        var clock = time ?? TimeProvider.System;
        var root = new RootCommand("mtls-pki: create and run the PKI of an MtlsAuthServer deployment (CAs, server and client certificates, revocation, CRLs).")
        {
            InitCommand.Create(clock),
            IssueClientCommand.Create(clock),
            SelfSignedCommand.Create(clock),
            RotateCommand.Create(clock),
            RevokeCommand.Create(clock),
            CrlCommand.Create(clock),
            SigningKeyCommand.Create(clock),
        };

        return root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }
}
