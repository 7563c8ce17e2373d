namespace Sparta.Kernels;

/// <summary>Whether a GEMM operand is read as stored or as its transpose.</summary>
internal enum Transpose
{
    No,
    Yes,
}
