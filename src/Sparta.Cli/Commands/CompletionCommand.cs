using System.CommandLine;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta completion bash|zsh</c>: prints the shell function that completes sparta's commands,
/// options and choices. It asks sparta itself through System.CommandLine's <c>[suggest]</c> directive,
/// so the completions always match the installed version.
/// </summary>
public sealed class CompletionCommand : SpartaCommand
{
    private readonly Argument<string> _shell = OptionFactory.ChoiceArgument("SHELL", "the shell", "bash", "zsh");

    public CompletionCommand() : base("completion", "Print the shell completion script (commands, options and their choices); add it to your shell's start-up file.",
        "sparta completion bash >> ~/.bashrc",
        "sparta completion zsh >> ~/.zshrc")
    {
        Add(_shell);
    }

    protected override int Execute(ParseResult parse, TextWriter output)
    {
        output.Write(parse.GetValue(_shell) == "zsh" ? Zsh : Bash);
        return 0;
    }

    // [suggest:N] completes the line at cursor position N (the line given without the command's own name).
    private const string Bash = """
        _sparta_complete() {
            local line="${COMP_LINE#* }"
            local point=$(( COMP_POINT - ${#COMP_LINE} + ${#line} ))
            local IFS=$'\n'
            COMPREPLY=( $(compgen -W "$("${COMP_WORDS[0]}" "[suggest:${point}]" "$line" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}") )
        }
        complete -o default -F _sparta_complete sparta

        """;

    private const string Zsh = """
        _sparta_complete() {
            local line="${BUFFER#* }"
            local point=$(( CURSOR - ${#BUFFER} + ${#line} ))
            local -a items
            items=( ${(f)"$("${words[1]}" "[suggest:${point}]" "$line" 2>/dev/null)"} )
            compadd -- $items
        }
        compdef _sparta_complete sparta

        """;
}
