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
// and the same bugs at an idle pace, with look-alikes that are no bugs, for
// test guests whose clock counts instructions (these modes block; they
// never compute):
//
//	slow-leak      leak at its slowest: every 30 s one more goroutine
//	               locks its thread and blocks for good (the first at 30 s)
//	idle-leak      the same five times a second (one every 200 ms)
//	burst          40 such goroutines within 2 s, then nothing new: a
//	               plateau
//	runtime-extra  no leak, but at 20 s, 80 s and 150 s k+1 goroutines
//	               (k = 1, 2, 3) block at once in a system call, so the
//	               runtime adds one more thread each time and keeps it idle
//	idle-pool      the fix again: GOMAXPROCS (at least 2) workers, each
//	               locked and pinned once, fed a job every 500 ms
//	setns          every 5 s a goroutine locks its thread, unshares its
//	               UTS namespace and returns still locked: the right way
//	               to get rid of a tainted thread
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
	_, _, errno := syscall.RawSyscall(syscall.SYS_SCHED_SETAFFINITY, 0, // site:repin-syscall
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
			runtime.LockOSThread() // site:locked-exit
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
			runtime.LockOSThread() // site:leak
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
		pin(n) // site:repin
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

// lockAndBlock is the leaked worker reduced to its bug: it takes an OS
// thread for itself and waits for a job that never comes, so the thread
// stays held, and idle, for as long as the process lives.
func lockAndBlock() {
	runtime.LockOSThread()
	<-make(chan int)
}

// Bug: a locked worker is started every d (the first after d), n times or,
// if n < 0, until stop; nothing stops them.
func leakEvery(stop <-chan struct{}, d time.Duration, n int) {
	tick := time.NewTicker(d)
	defer tick.Stop()
	for i := 0; n < 0 || i < n; i++ {
		select {
		case <-stop:
			return
		case <-tick.C:
			go lockAndBlock()
		}
	}
	<-stop
}

// No bug: k+1 requests in a blocking system call at once each hold an OS
// thread, so at its k-th peak the runtime needs one thread more than
// before; it keeps that thread parked afterwards, as Go never ends an idle
// thread. A slow, rare growth that must not be called a leak.
func runtimeExtra(stop <-chan struct{}) {
	start := time.Now()
	peaks := []time.Duration{20 * time.Second, 80 * time.Second,
		150 * time.Second}
	for k := 1; k <= len(peaks); k++ {
		select {
		case <-stop:
			return
		case <-time.After(peaks[k-1] - time.Since(start)):
		}
		done := make(chan struct{})
		for i := 0; i < k+1; i++ {
			go func() {
				sleepSyscall(100 * time.Millisecond)
				done <- struct{}{}
			}()
		}
		for i := 0; i < k+1; i++ {
			<-done
		}
	}
	<-stop
}

// idlePool is pool without the work: the workers are all started at once,
// then mostly wait for a job, so the threads are fixed and idle.
func idlePool(stop <-chan struct{}, workers int) {
	jobs := make(chan int)
	for i := 0; i < workers; i++ {
		go func(cpu int) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			pin(cpu)
			for range jobs {
				// a tiny job: taking it is all there is to do
			}
		}(i)
	}
	for n := 0; ; n++ {
		select {
		case <-stop:
			return
		case jobs <- n:
		}
		select {
		case <-stop:
			return
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// No bug: a goroutine that changes its thread's namespace must return
// while locked. The thread is no longer like the others (here its UTS
// namespace differs), so it must never run another goroutine; a locked
// goroutine that exits makes the runtime end its thread, which is exactly
// that. UnlockOSThread would hand the tainted thread back to the scheduler.
func setns(stop <-chan struct{}) {
	// Keep the main thread to ourselves: the runtime cannot end it, so a
	// locked goroutine that exits there only wedges it, with no exit.
	runtime.LockOSThread()
	done := make(chan error)
	warned := false
	for {
		go func() {
			runtime.LockOSThread()
			done <- syscall.Unshare(syscall.CLONE_NEWUTS)
		}()
		if err := <-done; err != nil && !warned {
			fmt.Fprintln(os.Stderr, "unshare:", err)
			warned = true
		}
		select {
		case <-stop:
			return
		case <-time.After(5 * time.Second):
		}
	}
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
		fmt.Fprintln(os.Stderr, "usage: gopatterns "+
			"locked-exit|leak|repin|overlap|surge|pool|slow-leak|"+
			"idle-leak|burst|runtime-extra|idle-pool|setns [SECONDS]")
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
	case "slow-leak":
		leakEvery(stop, 30*time.Second, -1)
	case "idle-leak":
		leakEvery(stop, 200*time.Millisecond, -1)
	case "burst":
		leakEvery(stop, 50*time.Millisecond, 40)
	case "runtime-extra":
		runtimeExtra(stop)
	case "idle-pool":
		workers := runtime.GOMAXPROCS(0)
		if workers < 2 {
			workers = 2
		}
		idlePool(stop, workers)
	case "setns":
		setns(stop)
	default:
		fmt.Fprintln(os.Stderr, "gopatterns: unknown mode", os.Args[1])
		os.Exit(2)
	}
}
