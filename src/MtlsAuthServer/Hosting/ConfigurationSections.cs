using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;

namespace MtlsAuthServer.Hosting;

/// <summary>
/// The one path a configuration section takes into the server: bound once (and again when configuration reloads),
/// checked at start-up, every problem an <see cref="OptionsValidationException"/> whose message names the key to fix.
/// .NET alone would throw a value the binder cannot convert (<c>Tokens:AccessTokenLifetime=ten</c>) as an
/// <see cref="InvalidOperationException"/> from inside the options factory, and name a data-annotation failure by
/// member only (<c>AccessTokenLifetime</c>); here both become validation failures naming the key.
/// </summary>
public static class ConfigurationSections
{
    /// <summary>Binds <typeparamref name="T"/> from <paramref name="section"/> (empty: the configuration root) and validates it at start-up.</summary>
    public static OptionsBuilder<T> AddSection<T>(this IServiceCollection services, string section)
        where T : class => services.AddSection<T>(section, (configuration, options) => Bind(configuration, section, options));

    /// <summary>
    /// Reads <typeparamref name="T"/> with <paramref name="read"/> instead of the binder (which reports its problems
    /// through <see cref="RecordFailure"/>) and validates it at start-up.
    /// </summary>
    public static OptionsBuilder<T> AddSection<T>(this IServiceCollection services, string section, Action<IConfiguration, T> read)
        where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new SectionValidator<T>(section));
        services.AddSingleton<IOptionsChangeTokenSource<T>>(provider => new ConfigurationChangeTokenSource<T>(provider.GetRequiredService<IConfiguration>()));
        return services.AddOptions<T>()
            .Configure<IConfiguration>((options, configuration) => read(configuration, options))
            .ValidateOnStart();
    }

    /// <summary>Records a problem found while reading <paramref name="options"/> (it must name the key), reported by its validation.</summary>
    public static void RecordFailure<T>(T options, string failure)
        where T : class => SectionValidator<T>.Record(options, failure);

    // The binding source generator cannot bind an open T (it refuses the call with SYSLIB1104): these small sections
    // keep the reflection binder, taken as a delegate so that no call is left for the generator. The client
    // registry (thousands of entries, bound by generated code) does not come through here.
    private static readonly Action<IConfiguration, object?> ReflectionBinder = ConfigurationBinder.Bind;

    private static void Bind<T>(IConfiguration configuration, string section, T options)
        where T : class
    {
        try
        {
            ReflectionBinder(section.Length == 0 ? configuration : configuration.GetSection(section), options);
        }
        catch (InvalidOperationException exception)
        {
            // The binder's message names the full key and the value ("... value 'ten' at 'Tokens:AccessTokenLifetime' ...").
            RecordFailure(options, exception.Message);
        }
    }

    private sealed class SectionValidator<T>(string section) : IValidateOptions<T>
        where T : class
    {
        // Keyed by the options instance: a reload binds a new one, and the table does not keep it alive.
        private static readonly ConditionalWeakTable<T, List<string>> BindingFailures = [];

        public static void Record(T options, string failure) => BindingFailures.GetOrCreateValue(options).Add(failure);

        public ValidateOptionsResult Validate(string? name, T options)
        {
            var failures = BindingFailures.TryGetValue(options, out var recorded) ? new List<string>(recorded) : [];
            AnnotationFailures(options, section, failures);
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }

        /// <summary>Data annotations of <paramref name="instance"/> and of the nested option objects it holds, each failure prefixed by its key.</summary>
        private static void AnnotationFailures(object instance, string path, List<string> failures)
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(instance, new ValidationContext(instance), results, validateAllProperties: true);
            foreach (var result in results)
            {
                var members = result.MemberNames.Any() ? result.MemberNames : [string.Empty];
                failures.AddRange(members.Select(member => $"{Key(path, member)}: {result.ErrorMessage}"));
            }

            foreach (var property in instance.GetType().GetProperties().Where(p => p.CanRead && p.GetIndexParameters().Length == 0))
            {
                switch (property.GetValue(instance))
                {
                    case { } nested when IsOptionsType(nested.GetType()):
                        AnnotationFailures(nested, Key(path, property.Name), failures);
                        break;
                    case IList list when property.PropertyType.IsGenericType && IsOptionsType(property.PropertyType.GetGenericArguments()[0]):
                        for (var i = 0; i < list.Count; i++)
                        {
                            if (list[i] is { } item)
                            {
                                AnnotationFailures(item, Key(path, $"{property.Name}:{i}"), failures);
                            }
                        }

                        break;
                }
            }
        }

        // Option objects are ours (same assembly as the section's type); strings, URIs and collections of values are not.
        private static bool IsOptionsType(Type type) => type.IsClass && type.Assembly == typeof(T).Assembly;

        private static string Key(string path, string member) =>
            path.Length == 0 ? member : member.Length == 0 ? path : $"{path}:{member}";
    }
}
