using System.Globalization;
using System.Text;

namespace Sparta.Terminal;

/// <summary>
/// Text from a user's file made fit for a one-line message: control and other invisible
/// characters escaped as <c>\uXXXX</c>, and cut short. A binary file given where text was expected
/// must not send raw bytes (escape sequences among them) to the user's terminal, nor a megabyte of them.
/// </summary>
internal static class PrintableText
{
    public const int MaxLength = 300;

    public static string Of(string text)
    {
        var printable = new StringBuilder(Math.Min(text.Length, MaxLength));
        foreach (char c in text)
        {
            if (printable.Length >= MaxLength) return printable.Append("...").ToString();
            if (IsShown(c)) printable.Append(c);
            else printable.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
        }
        return printable.ToString();
    }

    private static bool IsShown(char c) => c != '\uFFFD' && char.GetUnicodeCategory(c) is not (UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned);
}
