package io.cairn.devtools.demo;

/** The demo cannot go on; the message says why in words for the person who started it. */
final class DemoFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    DemoFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
