// The floor under every fan-out figure in BENCHMARKS.md: how many small writes per second one core can make to N
// loopback TCP connections when each write goes to its own socket (one delivery = one write(2)), with a reader on
// the other core. No server, no parsing, no allocation: whatever a gateway does on top of this costs more.
//
//   cc -O2 -pthread -o /tmp/loopback-floor benchmarks/loopback-floor.c
//   /tmp/loopback-floor 1000 round-robin   # fan-out: one event to 1,000 subscribers after another
//   /tmp/loopback-floor 5000 random        # many channels: each event to one of 5,000 subscribers at random
//
// The writer is pinned to CPU 0 and the reader to CPU 1, as the servers and `sluice bench` are in benchmarks/run.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int count;
static int *writers, *readers;
static volatile int stop;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void pin(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    sched_setaffinity(0, sizeof set, &set);
}

static void *drain(void *unused) {
    (void)unused;
    pin(1);
    int ep = epoll_create1(0);
    for (int i = 0; i < count; i++) {
        struct epoll_event e = {.events = EPOLLIN, .data.fd = readers[i]};
        epoll_ctl(ep, EPOLL_CTL_ADD, readers[i], &e);
    }
    struct epoll_event events[256];
    static char buffer[65536];
    while (!stop) {
        int n = epoll_wait(ep, events, 256, 100);
        for (int i = 0; i < n; i++)
            while (read(events[i].data.fd, buffer, sizeof buffer) > 0) {}
    }
    close(ep);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 3 || atoi(argv[1]) <= 0 || (strcmp(argv[2], "round-robin") && strcmp(argv[2], "random"))) {
        fprintf(stderr, "usage: %s CONNECTIONS round-robin|random [SECONDS]\n", argv[0]);
        return 2;
    }
    count = atoi(argv[1]);
    int random_order = !strcmp(argv[2], "random");
    double seconds = argc > 3 ? atof(argv[3]) : 3;
    writers = calloc(count, sizeof(int));
    readers = calloc(count, sizeof(int));

    int listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = 0, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t length = sizeof address;
    if (bind(listener, (struct sockaddr *)&address, sizeof address) || listen(listener, 4096) ||
        getsockname(listener, (struct sockaddr *)&address, &length)) {
        perror("listen");
        return 1;
    }
    int one = 1;
    for (int i = 0; i < count; i++) {
        readers[i] = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(readers[i], (struct sockaddr *)&address, sizeof address)) {
            perror("connect (raise ulimit -n?)");
            return 1;
        }
        writers[i] = accept(listener, NULL, NULL);
        setsockopt(writers[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        fcntl(writers[i], F_SETFL, O_NONBLOCK);
        fcntl(readers[i], F_SETFL, O_NONBLOCK);
    }
    pthread_t reader;
    pthread_create(&reader, NULL, drain, NULL);
    pin(0);

    char event[120];  // about the size of a benchmark event: id, data with a timestamp, chunk framing
    memset(event, 'x', sizeof event);
    event[sizeof event - 1] = '\n';
    long writes = 0, k = 0;
    unsigned state = 1;
    double start = now(), elapsed;
    while ((elapsed = now() - start) < seconds) {
        for (int j = 0; j < 1000; j++, k++) {
            int i = random_order ? (int)((state = state * 1103515245u + 12345u) >> 8) % count : (int)(k % count);
            if (write(writers[i], event, sizeof event) > 0) writes++;
        }
    }
    stop = 1;
    pthread_join(reader, NULL);
    printf("%d connections, %s: %.0f writes/s (%.2f us each) on one core\n", count, argv[2], writes / elapsed,
           elapsed / writes * 1e6);
    for (int i = 0; i < count; i++) {
        close(writers[i]);
        close(readers[i]);
    }
    close(listener);
    return 0;
}
