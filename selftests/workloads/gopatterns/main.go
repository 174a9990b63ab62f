// SPDX-License-Identifier: GPL-2.0

// Command gopatterns reproduces the runtime.LockOSThread bugs that pinstat
// is meant to find, and the pool that fixes them:
//
//	locked-exit  per-job goroutines lock their thread and never unlock:
//	             each one that ends takes its OS thread down with it
//	leak         pinned workers are started repeatedly and never stopped
//	repin        every request re-pins its thread with sched_setaffinity
//	overlap      a pool whose pinned workers share one CPU
//	surge        40 busy connections whose requests each pin their thread
//	             while blocked in a system call (as cgo calls do)
//	pool         the fix: a fixed pool of workers, each locked and pinned
//	             once to its own CPU, fed through a channel, and one CPU
//	             left for unpinned goroutines (GOMAXPROCS above the pinned
//	             workers: seed bug 9)
//
// Usage: gopatterns MODE [SECONDS]   (default 30)
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"time"
	"unsafe"
)

const requestEvery = 10 * time.Millisecond

var sink uint64

// work stands for the cgo call or device work that needed the thread.
func work() {
	for i := 0; i < 50000; i++ {
		sink += uint64(i)
	}
}

// pin restricts the calling thread to one CPU.
func pin(cpu int) {
	var mask [16]uint64
	cpu %= runtime.NumCPU()
	mask[cpu/64] |= 1 << (cpu % 64)
	_, _, errno := syscall.RawSyscall(syscall.SYS_SCHED_SETAFFINITY, 0,
		unsafe.Sizeof(mask), uintptr(unsafe.Pointer(&mask)))
	if errno != 0 {
		fmt.Fprintln(os.Stderr, "sched_setaffinity:", errno)
	}
}

// Bug: the goroutine returns while locked (missing UnlockOSThread).
func lockedExit(stop <-chan struct{}) {
	done := make(chan struct{})
	for {
		go func() {
			runtime.LockOSThread()
			work()
			done <- struct{}{}
		}()
		<-done
		select {
		case <-stop:
			return
		case <-time.After(requestEvery):
		}
	}
}

// Bug: StartWorker is called again and again; its workers never stop.
func leak(stop <-chan struct{}) {
	jobs := make(chan int)
	startWorker := func() {
		go func() {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			for j := range jobs {
				_ = j
				work()
			}
		}()
	}
	for {
		startWorker()
		select {
		case <-stop:
			return
		case <-time.After(20 * requestEvery):
		}
	}
}

// Bug: each request pins its thread again.
func repin(stop <-chan struct{}) {
	for n := 0; ; n++ {
		runtime.LockOSThread()
		pin(n)
		work()
		runtime.UnlockOSThread()
		select {
		case <-stop:
			return
		case <-time.After(requestEvery):
		}
	}
}

// sleepSyscall blocks in the kernel for d, holding the OS thread: unlike
// time.Sleep, the runtime cannot park the goroutine and reuse the thread.
func sleepSyscall(d time.Duration) {
	ts := syscall.NsecToTimespec(int64(d))
	syscall.Syscall(syscall.SYS_NANOSLEEP, uintptr(unsafe.Pointer(&ts)), 0, 0)
}

// Threads track concurrency: 40 requests in flight, each in a blocking call.
func surge(stop <-chan struct{}) {
	for i := 0; i < 40; i++ {
		// A connection that is always busy: the thread its requests
		// pin stays theirs, so the process has 40 threads and a few
		// from its start, and no stray later thread looks like growth.
		go func() {
			for {
				runtime.LockOSThread()
				sleepSyscall(time.Second)
				work()
				runtime.UnlockOSThread()
			}
		}()
	}
	<-stop
}

// pool runs workers locked and pinned once (to cpuOf(i)), fed by a channel.
func pool(stop <-chan struct{}, workers int, cpuOf func(int) int) {
	jobs := make(chan int)
	ready := make(chan struct{})
	for i := 0; i < workers; i++ {
		go func(cpu int) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			pin(cpu)
			ready <- struct{}{}
			for range jobs {
				work()
			}
		}(cpuOf(i))
		<-ready
	}
	for n := 0; ; n++ {
		select {
		case <-stop:
			return
		case jobs <- n:
		}
		time.Sleep(requestEvery)
	}
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: gopatterns locked-exit|leak|repin|overlap|surge|pool [SECONDS]")
		os.Exit(2)
	}
	seconds := 30
	if len(os.Args) > 2 {
		s, err := strconv.Atoi(os.Args[2])
		if err != nil || s < 1 {
			fmt.Fprintln(os.Stderr, "gopatterns: bad SECONDS:", os.Args[2])
			os.Exit(2)
		}
		seconds = s
	}
	stop := make(chan struct{})
	time.AfterFunc(time.Duration(seconds)*time.Second, func() { close(stop) })

	switch os.Args[1] {
	case "locked-exit":
		lockedExit(stop)
	case "leak":
		leak(stop)
	case "repin":
		repin(stop)
	case "overlap":
		pool(stop, 2, func(int) int { return 0 })
	case "surge":
		surge(stop)
	case "pool":
		workers := runtime.GOMAXPROCS(0) - 1
		if workers < 1 {
			workers = 1
		}
		pool(stop, workers, func(i int) int { return i })
	default:
		fmt.Fprintln(os.Stderr, "gopatterns: unknown mode", os.Args[1])
		os.Exit(2)
	}
}
