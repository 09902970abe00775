package io.cairn.devtools.demo;

import java.io.PrintStream;

/** The demo's narration on stderr, one {@code demo: ...} line per step; remembers the current step for failures. */
final class Steps {

    private final PrintStream err;
    private volatile String current = "starting";

    Steps(PrintStream err) {
        this.err = err;
    }

    void step(String text) {
        current = text;
        err.println("demo: " + text);
    }

    String current() {
        return current;
    }
}
