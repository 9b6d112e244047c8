using System.CommandLine;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.PkiTool.Commands;

/// <summary><c>crl</c>: re-sign the CRLs with no change in content (next CRL number, new nextUpdate); run it on a schedule.</summary>
internal static class CrlCommand
{
    public static Command Create(TimeProvider time)
    {
        var folder = ToolOptions.Folder();
        var ca = RevokeCommand.CaOption(includeAll: true);
        var nextUpdate = ToolOptions.NextUpdate();
        var command = new Command("crl", "Re-sign and publish the CRLs (new CRL number and nextUpdate); schedule it well inside --next-update.")
        {
            folder, ca, nextUpdate,
        };
        command.SetAction(parse => ToolAction.Run(parse, output =>
        {
            var layout = new DevelopmentPkiLayout(parse.GetValue(folder)!);
            var validity = Duration.Parse(parse.GetValue(nextUpdate)!, "--next-update");
            foreach (var files in RevokeCommand.SelectCa(layout, parse.GetValue(ca)!))
            {
                Describe(output, CrlPublisher.Publish(files, time.GetUtcNow(), validity));
            }
        }));
        return command;
    }

    internal static void Describe(TextWriter output, CrlPublication publication) =>
        output.WriteLine($"Published {publication.Path}: CRL number {publication.CrlNumber}, {publication.RevokedCount} revoked, " +
            $"next update {publication.NextUpdate.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}.");
}
