using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Tests.Infrastructure;

/// <summary>
/// <c>openssl s_client</c> as an independent TLS client that can save a session and resume it on a new connection
/// (<c>-sess_out</c>/<c>-sess_in</c>) and says whether the server resumed it ("Reused, TLSv1.3"). .NET's own client
/// gives no way to ask for resumption or to see that it happened.
/// </summary>
public sealed partial class OpenSslTlsClient : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly string _folder = Directory.CreateTempSubdirectory("mtls-openssl-").FullName;

    /// <summary>A client presenting <paramref name="certificate"/>, followed in its Certificate message by <paramref name="sentIntermediates"/>.</summary>
    public OpenSslTlsClient(TestPki pki, X509Certificate2 certificate, params X509Certificate2[] sentIntermediates)
    {
        PemFiles.WriteCertificates(CertificatePath, certificate);
        PemFiles.WritePrivateKey(KeyPath, certificate);
        PemFiles.WriteCertificates(ChainPath, sentIntermediates);
        PemFiles.WriteCertificates(RootPath, pki.Root.Certificate);
        SendsChain = sentIntermediates.Length > 0;
    }

    private string CertificatePath => Path.Combine(_folder, "client.crt");

    private string KeyPath => Path.Combine(_folder, "client.key");

    private string ChainPath => Path.Combine(_folder, "chain.pem");

    private string RootPath => Path.Combine(_folder, "root.pem");

    private string SessionPath => Path.Combine(_folder, "session.pem");

    private bool SendsChain { get; }

    /// <summary>
    /// One <c>POST /token</c> on a new TCP connection. The first call of a client saves its TLS session; later calls
    /// offer it for resumption (<paramref name="resume"/>). <paramref name="protocol"/> is <c>tls1_2</c> or <c>tls1_3</c>.
    /// </summary>
    public async Task<TlsExchange> RequestTokenAsync(Uri listener, string protocol, string clientId, bool resume)
    {
        var arguments = new List<string>
        {
            "s_client", "-connect", $"127.0.0.1:{listener.Port}", "-servername", "localhost", "-" + protocol,
            "-cert", CertificatePath, "-key", KeyPath, "-CAfile", RootPath, "-verify_return_error", "-ign_eof",
        };
        if (SendsChain)
        {
            arguments.AddRange(["-cert_chain", ChainPath]);
        }

        arguments.AddRange(resume ? ["-sess_in", SessionPath] : ["-sess_out", SessionPath]);

        var body = $"grant_type=client_credentials&client_id={Uri.EscapeDataString(clientId)}";
        var request = $"POST /token HTTP/1.1\r\nHost: 127.0.0.1:{listener.Port}\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
                      $"Content-Length: {Encoding.ASCII.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";
        var output = await RunAsync(arguments, request);

        var status = StatusLine().Match(output);
        var session = SessionLine().Match(output);
        return new TlsExchange(
            status.Success ? (HttpStatusCode)int.Parse(status.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null,
            session.Success && session.Groups[1].Value == "Reused",
            session.Success ? session.Groups[2].Value : null,
            output);
    }

    /// <summary>
    /// Runs <c>openssl</c> with <paramref name="arguments"/>, feeds it <paramref name="standardInput"/> and returns what
    /// it printed (stdout then stderr). A handshake that fails fast makes openssl exit before it reads its input: the
    /// broken pipe is that outcome, shown by the output, not a failure of the probe.
    /// </summary>
    internal static async Task<string> RunAsync(IEnumerable<string> arguments, string standardInput)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        var input = process.StandardInput.BaseStream;
        try
        {
            await input.WriteAsync(Encoding.ASCII.GetBytes(standardInput));
            await input.FlushAsync();
        }
        catch (IOException)
        {
        }
        finally
        {
            try
            {
                input.Close();
            }
            catch (IOException)
            {
            }
        }

        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"openssl s_client did not finish within {Timeout}: {await errors}");
        }

        return await output + await errors;
    }

    [GeneratedRegex(@"HTTP/1\.1 (\d{3}) ")]
    private static partial Regex StatusLine();

    // s_client prints "New, TLSv1.3, Cipher is …" for a full handshake and "Reused, TLSv1.3, …" for a resumed one.
    [GeneratedRegex(@"^(New|Reused), (TLSv1\.[23])", RegexOptions.Multiline)]
    private static partial Regex SessionLine();

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>What one <see cref="OpenSslTlsClient"/> connection saw: the HTTP status, whether TLS resumed, and the raw output for messages.</summary>
public sealed record TlsExchange(HttpStatusCode? Status, bool Resumed, string? Protocol, string Output);
