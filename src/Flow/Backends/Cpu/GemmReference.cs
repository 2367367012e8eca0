namespace Flow.Backends.Cpu;

/// <summary>
/// The definition <see cref="Gemm"/> is tested against: a naive triple loop accumulating in double.
/// Same contract: C[m,n] (=|+=) op(A)[m,k] · op(B)[k,n], row-major with leading dimensions.
/// </summary>
public static unsafe class GemmReference
{
    public static void Multiply(bool transA, bool transB, int m, int n, int k, float* a, int lda,
        float* b, int ldb, float* c, int ldc, bool accumulate, WorkerPool? pool = null)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    float aip = transA ? a[(long)p * lda + i] : a[(long)i * lda + p];
                    float bpj = transB ? b[(long)j * ldb + p] : b[(long)p * ldb + j];
                    sum += (double)aip * bpj;
                }
                float* cij = c + (long)i * ldc + j;
                *cij = accumulate ? (float)(*cij + sum) : (float)sum;
            }
    }
}
