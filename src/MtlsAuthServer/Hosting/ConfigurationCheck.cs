using Microsoft.Extensions.Options;

namespace MtlsAuthServer.Hosting;

public static class ConfigurationCheck
{
    /// <summary>
    /// Validates every section (each <c>ValidateOnStart</c>) as the service provider is built, so a misconfigured
    /// server fails in <c>builder.Build()</c> with the <see cref="OptionsValidationException"/> naming the key, before
    /// a host, a hosted service or a listener exists. Left to <c>Host.StartAsync</c>, the same check runs after the
    /// hosted services are constructed, and the failed host is disposed while its creator may still be reaching for
    /// its services (<c>WebApplicationFactory</c> does), which then reports an <see cref="ObjectDisposedException"/>
    /// instead of the key.
    /// </summary>
    public static WebApplicationBuilder ValidateConfigurationWhenBuilt(this WebApplicationBuilder builder)
    {
        // What the default factory checks in Development (scopes, every registration resolvable), and nothing more elsewhere.
        var development = builder.Environment.IsDevelopment();
        builder.Host.UseServiceProviderFactory(new ValidatingServiceProviderFactory(
            new ServiceProviderOptions { ValidateScopes = development, ValidateOnBuild = development }));
        return builder;
    }

    private sealed class ValidatingServiceProviderFactory(ServiceProviderOptions options) : IServiceProviderFactory<IServiceCollection>
    {
        public IServiceCollection CreateBuilder(IServiceCollection services) => services;

        public IServiceProvider CreateServiceProvider(IServiceCollection containerBuilder)
        {
            var provider = containerBuilder.BuildServiceProvider(options);
            try
            {
                provider.GetService<IStartupValidator>()?.Validate();
                return provider;
            }
            catch (Exception exception)
            {
                var refusal = OneRefusal(exception);
                ConfigurationLog.ConfigurationRefused(provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConfigurationCheck).FullName!),
                    refusal?.Message ?? exception.Message);
                // Nobody else holds this provider yet: disposing it here (which flushes the logs) races with no one.
                provider.DisposeAsync().AsTask().GetAwaiter().GetResult();
                if (refusal is null || ReferenceEquals(refusal, exception))
                {
                    throw;
                }

                throw refusal;
            }
        }

        /// <summary>
        /// Several bad sections arrive as an <see cref="AggregateException"/> of one validation exception each; the operator
        /// gets them as one <see cref="OptionsValidationException"/> listing every failure, each naming its key.
        /// </summary>
        private static OptionsValidationException? OneRefusal(Exception exception) => exception switch
        {
            OptionsValidationException single => single,
            AggregateException aggregate when aggregate.InnerExceptions.All(inner => inner is OptionsValidationException) =>
                new OptionsValidationException(
                    Options.DefaultName,
                    ((OptionsValidationException)aggregate.InnerExceptions[0]).OptionsType,
                    aggregate.InnerExceptions.Cast<OptionsValidationException>().SelectMany(inner => inner.Failures)),
            _ => null,
        };
    }
}

public static partial class ConfigurationLog
{
    [LoggerMessage(EventId = 4501, EventName = "ConfigurationRefused", Level = LogLevel.Critical,
        Message = "The configuration is refused; the server does not start: {Failures}")]
    public static partial void ConfigurationRefused(ILogger logger, string failures);
}
