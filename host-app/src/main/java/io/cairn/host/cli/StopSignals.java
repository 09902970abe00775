package io.cairn.host.cli;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns SIGTERM and SIGINT into a call of the caller's stop action instead of the JVM's shutdown.
 *
 * <p>Why not a shutdown hook: the JVM runs all hooks at once, and H2 closes an embedded database from its
 * own hook, so an orderly stop (running backups finish and are recorded, locks released) would find the
 * catalog closed under it. With the signal handled, {@code cairn serve} stops in its own thread while
 * everything is still open, and then exits normally.
 *
 * <p>{@code sun.misc.Signal} is looked up reflectively, as Kafka does, because javac warns about it as an
 * internal API on every build; it is in the {@code jdk.unsupported} module every JDK ships. Where it is
 * missing, a shutdown hook is the fallback.
 */
final class StopSignals {

    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);

    private StopSignals() {
    }

    /** Calls {@code stop} (on a signal thread) when SIGTERM or SIGINT arrives. */
    static void onStop(Runnable stop) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Constructor<?> signal = signalClass.getConstructor(String.class);
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            Object handler = Proxy.newProxyInstance(StopSignals.class.getClassLoader(), new Class<?>[] {handlerClass},
                    (proxy, method, args) -> {
                        if (method.getName().equals("handle")) {
                            stop.run();
                        }
                        return null;
                    });
            for (String name : new String[] {"TERM", "INT"}) {
                handle.invoke(null, signal.newInstance(name), handler);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("cannot handle SIGTERM directly ({}); stopping from a shutdown hook instead", e.toString());
            Runtime.getRuntime().addShutdownHook(new Thread(stop, "cairn-stop"));
        }
    }
}
