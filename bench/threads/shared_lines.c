// What a thread's update of its own half of a weight matrix costs when the other thread's accesses touch it:
// two threads, pinned to processors 0 and 1, each update their half of four 784x256 float arrays (Adam's
// weights, two moments and gradient: the Fashion-MNIST MLP's first layer) 400 times, after a barrier:
//   flat            each its contiguous half of the rows, nothing else touching it
//   stripes         each its half of every row's columns (the column blocks a GEMM computes), 512-byte stripes
//   flat+reads      flat, then each thread reads the weights of its column half of every row, as the
//                   forward GEMM does: half the lines it reads are the other thread's
//   flat-nt+reads   the same with the weights written by non-temporal stores
// Prints microseconds per update (thread 0 / thread 1) and, for the last two, per read pass (thread 0).
//   gcc -O3 -march=native -pthread bench/threads/shared_lines.c -o shared_lines && ./shared_lines
#define _GNU_SOURCE
#include <immintrin.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { Rows = 784, Columns = 256, Passes = 400, Skipped = 50 };
enum Mode { Flat, Stripes, FlatReads, FlatNonTemporalReads, Modes };
static const char *Names[] = { "flat", "stripes", "flat+reads", "flat-nt+reads" };
static float *w, *m, *v, *g;
static enum Mode mode;
static pthread_barrier_t barrier;
static double updates[2], reads[2];

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

static void pin(int cpu) { cpu_set_t set; CPU_ZERO(&set); CPU_SET(cpu, &set); pthread_setaffinity_np(pthread_self(), sizeof set, &set); }

// Adam's update without its division and root: the memory traffic is the same.
static void update(long start, long count)
{
    for (long i = start; i < start + count; i++)
    {
        m[i] = 0.9f * m[i] + 0.1f * g[i];
        v[i] = 0.999f * v[i] + 0.001f * g[i] * g[i];
        w[i] -= 0.001f * m[i] * v[i];
    }
}

__attribute__((target("avx512f"))) static void update_streaming(long start, long count)
{
    for (long i = start; i < start + count; i += 16)
    {
        __m512 gi = _mm512_load_ps(g + i);
        __m512 mi = _mm512_add_ps(_mm512_mul_ps(_mm512_set1_ps(0.9f), _mm512_load_ps(m + i)), _mm512_mul_ps(_mm512_set1_ps(0.1f), gi));
        __m512 vi = _mm512_add_ps(_mm512_mul_ps(_mm512_set1_ps(0.999f), _mm512_load_ps(v + i)),
            _mm512_mul_ps(_mm512_set1_ps(0.001f), _mm512_mul_ps(gi, gi)));
        _mm512_store_ps(m + i, mi);
        _mm512_store_ps(v + i, vi);
        _mm512_stream_ps(w + i, _mm512_sub_ps(_mm512_load_ps(w + i), _mm512_mul_ps(_mm512_set1_ps(0.001f), _mm512_mul_ps(mi, vi))));
    }
    _mm_sfence();
}

static void *work(void *argument)
{
    long self = (long)argument, half = Rows * Columns / 2;
    pin((int)self);
    for (int pass = 0; pass < Passes; pass++)
    {
        pthread_barrier_wait(&barrier);
        double start = now();
        if (mode == Stripes)
            for (long row = 0; row < Rows; row++) update(row * Columns + self * Columns / 2, Columns / 2);
        else if (mode == FlatNonTemporalReads) update_streaming(self * half, half);
        else update(self * half, half);
        double updated = now();
        if (pass >= Skipped) updates[self] += updated - start;
        if (mode < FlatReads) continue;
        pthread_barrier_wait(&barrier);
        updated = now();
        volatile float sum = 0;
        for (long row = 0; row < Rows; row++)
            for (long i = row * Columns + self * Columns / 2; i < row * Columns + (self + 1) * Columns / 2; i += 16) sum += w[i];
        if (pass >= Skipped) reads[self] += now() - updated;
    }
    return NULL;
}

int main(void)
{
    float **arrays[] = { &w, &m, &v, &g };
    for (int a = 0; a < 4; a++) *arrays[a] = aligned_alloc(64, Rows * Columns * sizeof(float));
    for (long i = 0; i < Rows * Columns; i++) { w[i] = 1; m[i] = v[i] = 0; g[i] = 0.01f * (i % 7); }
    double per = 1e6 / (Passes - Skipped);
    for (mode = Flat; mode < Modes; mode++)
    {
        updates[0] = updates[1] = reads[0] = reads[1] = 0;
        pthread_barrier_init(&barrier, NULL, 2);
        pthread_t threads[2];
        for (long t = 0; t < 2; t++) pthread_create(&threads[t], NULL, work, (void *)t);
        for (int t = 0; t < 2; t++) pthread_join(threads[t], NULL);
        printf("%s %.0f/%.0f", Names[mode], updates[0] * per, updates[1] * per);
        if (mode >= FlatReads) printf(" (read %.0f)", reads[0] * per);
        printf(mode + 1 < Modes ? "  " : "\n");
    }
    return 0;
}
