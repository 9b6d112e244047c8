using System.CommandLine;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.PkiTool.Commands;

/// <summary>
/// <c>crl</c>: re-sign the CRLs with no change in content (next CRL number, new nextUpdate); run it on a schedule.
/// With <c>--renew-before</c> only the CRLs whose nextUpdate is that close are re-signed, so it can run often.
/// </summary>
internal static class CrlCommand
{
    public static Command Create(TimeProvider time)
    {
        var folder = ToolOptions.Folder();
        var ca = RevokeCommand.CaOption(includeAll: true);
        var nextUpdate = ToolOptions.NextUpdate();
        var renewBefore = new Option<string?>("--renew-before")
        {
            Description = "Only re-sign a CRL whose nextUpdate is less than this away (e.g. 2d); schedule the command often (hourly).",
            HelpName = "duration",
        };
        var command = new Command("crl", "Re-sign and publish the CRLs (new CRL number and nextUpdate); schedule it well inside --next-update.")
        {
            folder, ca, nextUpdate, renewBefore,
        };
        command.SetAction(parse => ToolAction.Run(parse, output =>
        {
            var layout = new DevelopmentPkiLayout(parse.GetValue(folder)!);
            var validity = Duration.Parse(parse.GetValue(nextUpdate)!, "--next-update");
            var renewText = parse.GetValue(renewBefore);
            var before = renewText is null ? (TimeSpan?)null : Duration.Parse(renewText, "--renew-before");
            if (before >= validity)
            {
                throw new PkiToolException("--renew-before must be shorter than --next-update, or every run would re-sign.");
            }

            foreach (var files in RevokeCommand.SelectCa(layout, parse.GetValue(ca)!))
            {
                if (before is not { } window)
                {
                    Describe(output, CrlPublisher.Publish(files, time.GetUtcNow(), validity));
                }
                else if (CrlPublisher.PublishIfDue(files, time.GetUtcNow(), window, validity) is { } publication)
                {
                    Describe(output, publication);
                }
                else
                {
                    output.WriteLine($"Not due: {files.Crl} is valid until {files.ReadState().NextUpdate?.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}, more than {renewText} away.");
                }
            }
        }));
        return command;
    }

    internal static void Describe(TextWriter output, CrlPublication publication) =>
        output.WriteLine($"Published {publication.Path}: CRL number {publication.CrlNumber}, {publication.RevokedCount} revoked, " +
            $"next update {publication.NextUpdate.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}.");
}
