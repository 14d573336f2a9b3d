using System.Globalization;

namespace Haven.Core.Validation;

/// <summary>The GOV.UK date input: day, month and year typed separately, with an error that says which part is wrong.</summary>
public static class DateInput
{
    public static (DateOnly? Date, string? Error) Parse(string? day, string? month, string? year, string label, bool required = false)
    {
        day = day?.Trim();
        month = month?.Trim();
        year = year?.Trim();
        if (string.IsNullOrEmpty(day) && string.IsNullOrEmpty(month) && string.IsNullOrEmpty(year))
        {
            return (null, required ? $"Enter {label.ToLowerInvariant()}" : null);
        }

        var missing = new List<string>();
        if (string.IsNullOrEmpty(day))
        {
            missing.Add("a day");
        }

        if (string.IsNullOrEmpty(month))
        {
            missing.Add("a month");
        }

        if (string.IsNullOrEmpty(year))
        {
            missing.Add("a year");
        }

        if (missing.Count > 0)
        {
            return (null, $"{label} must include {string.Join(" and ", missing)}");
        }

        if (year!.Length != 4)
        {
            return (null, $"Year must include 4 numbers");
        }

        if (!int.TryParse(day, NumberStyles.None, CultureInfo.InvariantCulture, out var d)
            || !int.TryParse(month, NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            || !int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var y)
            || m is < 1 or > 12 || y < 1 || d < 1 || d > DateTime.DaysInMonth(y, m))
        {
            return (null, $"{label} must be a real date");
        }

        return (new DateOnly(y, m, d), null);
    }

    public static string? Part(DateOnly? date, char part) => date is not { } value ? null : part switch
    {
        'd' => value.Day.ToString(CultureInfo.InvariantCulture),
        'm' => value.Month.ToString(CultureInfo.InvariantCulture),
        _ => value.Year.ToString(CultureInfo.InvariantCulture),
    };
}
