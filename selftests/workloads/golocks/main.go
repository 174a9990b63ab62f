// SPDX-License-Identifier: GPL-2.0

// Command golocks calls runtime.LockOSThread from known lines, a known
// number of times, for the lock tracing tests. It waits until the file
// named by its first argument exists (the test starts tracing, then
// creates it) and runs its mode:
//
//	sites  30 goroutines lock and end locked, one after another (their
//	       threads end with them); 20 lock and unlock; 4 pinned workers
//	       lock and block for good
//	pool   the fix: 4 workers lock once each and serve 100 jobs
//	repin  10 requests that each pin their thread to CPU 0 again
//	       (sched_setaffinity), from a line marked as the LockOSThread
//	       calls are
//	nested 5 workers lock twice, unlock once (an inlined unlock) and
//	       block, holding a lock; 5 goroutines lock and unlock with a
//	       deferred call (the runtime's own function), then block
//	busy   sites' first two, 500 times over, then exits with status 0
//
// and for make bench-locks, each timed and then done (it prints the
// nanoseconds the N rounds took, and exits):
//
//	loop N     N LockOSThread and UnlockOSThread pairs
//	request N  N requests that lock their thread, work a little, unlock
//	hold N     N goroutines lock their threads and block (it then waits
//	           to be killed)
//	exec   execs ARGS (a traced process that becomes another program)
//
// Then it prints "done" and, but for busy and exec, waits to be killed,
// so that its threads can be counted at rest. The lines that call
// LockOSThread are marked "site:NAME" for the tests.
//
// Usage: golocks STARTFILE MODE [ARGS...]
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"time"
	"unsafe"
)

// endLocked is the bug: it returns while locked, and its thread ends.
func endLocked(done chan<- struct{}) {
	runtime.LockOSThread() // site:end-locked
	done <- struct{}{}
}

// lockUnlock is right: the thread goes back to the runtime's pool.
func lockUnlock(done chan<- struct{}) {
	runtime.LockOSThread() // site:unlocked
	runtime.UnlockOSThread()
	done <- struct{}{}
}

// pinnedWorker is the leak: locked, and never stopped.
func pinnedWorker(ready chan<- struct{}) {
	runtime.LockOSThread() // site:leak
	ready <- struct{}{}
	select {}
}

// nestedWorker locks twice and unlocks once: it still holds its thread.
func nestedWorker(ready chan<- struct{}) {
	runtime.LockOSThread() // site:nested-outer
	runtime.LockOSThread() // site:nested-inner
	runtime.UnlockOSThread()
	ready <- struct{}{}
	select {}
}

// deferredUnlock undoes its lock on return, through defer.
//
//go:noinline
func deferredUnlock() {
	runtime.LockOSThread() // site:deferred
	defer runtime.UnlockOSThread()
	sink++
}

func nested() {
	ready := make(chan struct{})
	for i := 0; i < 5; i++ {
		go nestedWorker(ready)
		<-ready
	}
	for i := 0; i < 5; i++ {
		go func() {
			deferredUnlock()
			ready <- struct{}{}
			select {}
		}()
		<-ready
	}
}

func sites() {
	done := make(chan struct{})
	for i := 0; i < 30; i++ {
		go endLocked(done)
		<-done
	}
	for i := 0; i < 20; i++ {
		go lockUnlock(done)
		<-done
	}
	for i := 0; i < 4; i++ {
		go pinnedWorker(done)
		<-done
	}
}

// poolWorker locks its thread once, for all the jobs it serves.
func poolWorker(jobs <-chan int, wg *sync.WaitGroup) {
	runtime.LockOSThread() // site:pool
	defer runtime.UnlockOSThread()
	for range jobs {
		wg.Done()
	}
}

func pool() {
	jobs := make(chan int)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		go poolWorker(jobs, &wg)
	}
	wg.Add(100)
	for i := 0; i < 100; i++ {
		jobs <- i
	}
	wg.Wait()
}

// pin restricts the calling thread to CPU 0.
//
//go:noinline
func pin() {
	var mask [16]uint64
	mask[0] = 1
	_, _, errno := syscall.RawSyscall(syscall.SYS_SCHED_SETAFFINITY, 0, unsafe.Sizeof(mask), uintptr(unsafe.Pointer(&mask))) // site:repin-syscall
	if errno != 0 {
		fmt.Fprintln(os.Stderr, "sched_setaffinity:", errno)
	}
}

// repinRequest is the bug: it pins its thread again on every request.
//
//go:noinline
func repinRequest() {
	pin() // site:repin-call
}

// request is a handler that needs its thread for a moment.
func request() {
	runtime.LockOSThread() // site:request
	defer runtime.UnlockOSThread()
	work()
}

var sink uint64

// work stands for the cgo call that needed the thread: ~10 000 instructions.
func work() {
	for i := 0; i < 2500; i++ {
		sink += uint64(i)
	}
}

// timed runs fn n times and says how long that took, in nanoseconds.
func timed(n int, fn func()) {
	start := time.Now()
	for i := 0; i < n; i++ {
		fn()
	}
	fmt.Println(time.Since(start).Nanoseconds())
}

func lockUnlockOnce() {
	runtime.LockOSThread() // site:loop
	runtime.UnlockOSThread()
}

func hold(n int) {
	ready := make(chan struct{})
	for i := 0; i < n; i++ {
		go pinnedWorker(ready)
		<-ready
	}
}

// busy locks and ends locked as fast as it can, for a test that pulls
// the probe out under it.
func busy() {
	done := make(chan struct{})
	for i := 0; i < 500; i++ {
		go endLocked(done)
		<-done
		go lockUnlock(done)
		<-done
	}
}

// count is the N of the modes that take one.
func count() int {
	if len(os.Args) > 3 {
		if n, err := strconv.Atoi(os.Args[3]); err == nil && n >= 0 {
			return n
		}
	}
	fmt.Fprintln(os.Stderr, "golocks: the mode needs a count")
	os.Exit(2)
	return 0
}

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr,
			"usage: golocks STARTFILE MODE [ARGS...]")
		os.Exit(2)
	}
	// The first LockOSThread of a process starts the runtime's template
	// thread: made here, before the test traces, as a service makes its
	// first at startup (docs/RELIABILITY.md: traced, it can be counted
	// on a thread that is not the one it locks).
	runtime.LockOSThread()
	runtime.UnlockOSThread()
	for {
		if _, err := os.Stat(os.Args[1]); err == nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	switch os.Args[2] {
	case "sites":
		sites()
	case "pool":
		pool()
	case "nested":
		nested()
	case "repin":
		for i := 0; i < 10; i++ {
			repinRequest()
		}
	case "busy":
		busy()
		fmt.Println("done")
		return
	case "loop":
		timed(count(), lockUnlockOnce)
		return
	case "request":
		timed(count(), request)
		return
	case "hold":
		hold(count())
	case "exec":
		err := syscall.Exec(os.Args[3], os.Args[3:], os.Environ())
		fmt.Fprintln(os.Stderr, "golocks: exec:", err)
		os.Exit(1)
	default:
		fmt.Fprintln(os.Stderr, "golocks: no mode", os.Args[2])
		os.Exit(2)
	}
	fmt.Println("done")
	for {
		// not select {}: with every goroutine blocked, Go would abort
		time.Sleep(time.Hour)
	}
}
