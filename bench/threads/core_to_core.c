// How long a cache line takes to pass between processors 0 and 1: two threads, one pinned to each, hand a
// counter back and forth; prints the one-way time in ns, SAMPLES times 100 ms apart (default 3).
// About 30 ns when the two share a cache (cores of one CCX), 150-190 ns when they do not.
//   gcc -O2 -pthread bench/threads/core_to_core.c -o core_to_core && ./core_to_core 3
// Run it alone: two copies at once, or beside another program's real-time threads, wait on each other.
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

enum { Rounds = 1000, Warmup = 100 };
static _Alignas(64) atomic_long turn;
static atomic_int go;

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

static void pin(int cpu) { cpu_set_t set; CPU_ZERO(&set); CPU_SET(cpu, &set); pthread_setaffinity_np(pthread_self(), sizeof set, &set); }

static void *answer(void *unused)
{
    pin(1);
    for (long base = 0;; base += 2 * Rounds)
    {
        while (!atomic_load(&go)) usleep(1000);
        for (long i = 0; i < Rounds; i++)
        {
            while (atomic_load_explicit(&turn, memory_order_acquire) != base + 2 * i + 1) { }
            atomic_store_explicit(&turn, base + 2 * i + 2, memory_order_release);
        }
        atomic_store(&go, 0);
    }
    return unused;
}

int main(int argc, char **argv)
{
    int samples = argc > 1 ? atoi(argv[1]) : 3;
    pthread_t other;
    pthread_create(&other, NULL, answer, NULL);
    pin(0);
    for (long s = 0, base = 0; s < samples; s++, base += 2 * Rounds)
    {
        atomic_store(&go, 1);
        double start = 0;
        for (long i = 0; i < Rounds; i++)
        {
            // The first rounds wait for the other thread to wake: not timed.
            if (i == Warmup) start = now();
            atomic_store_explicit(&turn, base + 2 * i + 1, memory_order_release);
            while (atomic_load_explicit(&turn, memory_order_acquire) != base + 2 * i + 2) { }
        }
        printf("%.0f\n", (now() - start) / (Rounds - Warmup) / 2 * 1e9);
        fflush(stdout);
        while (atomic_load(&go)) { }
        usleep(100000);
    }
    return 0;
}
