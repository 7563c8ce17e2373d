namespace Sparta.Kernels;

/// <summary>Whether a GEMM operand is read as stored or as its transpose.</summary>
public enum Transpose
{
    No,
    Yes,
}
