using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MtlsAuthServer.Tokens;

namespace MtlsAuthServer.Tests.Infrastructure;

/// <summary>Looks at the token rows of a running token server: the group-commit queue and the row behind a token.</summary>
public static class TokenRows
{
    private static readonly TimeSpan QueueLimit = TimeSpan.FromSeconds(30);

    public static TokenRowWriter Writer(this TokenServerHost host) => host.Services.GetRequiredService<TokenRowWriter>();

    /// <summary>
    /// While the caller holds the database's writes (so the writer's commit waits): sends <paramref name="first"/> and
    /// waits until its row is being committed, alone; then sends the others and waits until all their rows queue behind
    /// it, to be committed together once the caller lets writes through. Returns the requests, the first one first.
    /// </summary>
    public static async Task<Task<HttpResponseMessage>[]> QueueBehindHeldCommitAsync(
        this TokenRowWriter writer, Func<Task<HttpResponseMessage>> first, Func<Task<HttpResponseMessage>[]> others)
    {
        var alone = first();
        await writer.WaitUntilCommittingAsync(1);
        var together = others();
        await writer.WaitUntilQueuedAsync(together.Length);
        return [alone, .. together];
    }

    /// <summary>Waits (bounded) until <paramref name="rows"/> rows wait for a commit: the requests sent so far have all reached the writer.</summary>
    private static async Task WaitUntilQueuedAsync(this TokenRowWriter writer, int rows) =>
        Assert.Equal(rows, await Eventually.ReachesAsync(() => Task.FromResult(writer.QueuedRows), queued => queued >= rows, $"{rows} queued rows", QueueLimit));

    /// <summary>Waits (bounded) until the writer is committing <paramref name="rows"/> rows (e.g. held by a lock).</summary>
    private static Task<int> WaitUntilCommittingAsync(this TokenRowWriter writer, int rows) =>
        Eventually.ReachesAsync(() => Task.FromResult(writer.CommittingRows), committing => committing == rows, $"a commit of {rows} row(s)", QueueLimit);

    /// <summary>The id of the token's database row, as OpenIddict wrote it into the JWT (<c>oi_tkn_id</c>).</summary>
    public static string RowId(string accessToken) => OAuth.DecodePayload(accessToken).GetProperty("oi_tkn_id").GetString()!;

    public static async Task<string> AccessTokenAsync(HttpResponseMessage response)
    {
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("access_token").GetString()!;
    }
}
