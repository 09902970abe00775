package io.cairn.host.plugins;

import io.cairn.api.ApiVersion;
import io.cairn.api.BackendDescriptor;
import io.cairn.host.config.ConfigurationProblem;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.pf4j.JarPluginManager;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads backend plugins from a directory with PF4J, one JAR at a time, so that a corrupt, foreign or
 * incompatible JAR is reported by file name and skipped while the others load.
 *
 * <p>Each JAR is checked before PF4J sees it (readable, has a {@code Plugin-Id}, its
 * {@code Plugin-Requires} admits {@link ApiVersion#CURRENT}) and after (it provides exactly one
 * {@link BackendDescriptor}, whose id no other plugin took). The plugin API and PF4J come from the
 * host's class loader; each plugin has its own for everything else.
 */
public final class BackendLoader {

    private static final Logger LOG = LoggerFactory.getLogger(BackendLoader.class);
    private static final String PLUGIN_ID = "Plugin-Id";
    private static final String PLUGIN_VERSION = "Plugin-Version";
    private static final String PLUGIN_REQUIRES = "Plugin-Requires";

    private BackendLoader() {
    }

    /**
     * Loads every {@code *.jar} in {@code pluginsDir}; a directory that does not exist holds no plugins.
     */
    public static LoadedBackends load(Path pluginsDir) {
        List<Path> jars = jarsIn(pluginsDir);
        if (jars.isEmpty()) {
            return new LoadedBackends(pluginsDir, List.of(), List.of(), null);
        }
        JarPluginManager manager = new JarPluginManager(pluginsDir);
        // PF4J checks Plugin-Requires against this too; ApiRequirement has already explained any refusal.
        manager.setSystemVersion(ApiVersion.CURRENT);
        List<LoadedBackend> backends = new ArrayList<>();
        List<ConfigurationProblem> refusals = new ArrayList<>();
        for (Path jar : jars) {
            try {
                LoadedBackend backend = loadOne(manager, jar, backends);
                backends.add(backend);
                LOG.info("loaded backend '{}' {} from {}", backend.backendId(), backend.pluginVersion(), jar);
            } catch (Refused refused) {
                refusals.add(new ConfigurationProblem(jar, "", refused.getMessage()));
                LOG.warn("skipped plugin {}: {}", jar, refused.getMessage());
            }
        }
        return new LoadedBackends(pluginsDir, backends, refusals, manager);
    }

    private static LoadedBackend loadOne(PluginManager manager, Path jar, List<LoadedBackend> loaded) throws Refused {
        Attributes manifest = readManifest(jar);
        String declaredId = manifest.getValue(PLUGIN_ID);
        if (declaredId == null || declaredId.isBlank()) {
            throw new Refused("has no Plugin-Id in its manifest; it is not a PF4J plugin");
        }
        String requires = manifest.getValue(PLUGIN_REQUIRES);
        Optional<String> incompatible = ApiRequirement.refusal(requires);
        if (incompatible.isPresent()) {
            throw new Refused("plugin '" + declaredId + "' " + incompatible.get());
        }
        String pluginId;
        try {
            pluginId = manager.loadPlugin(jar);
        } catch (RuntimeException | LinkageError e) {
            throw new Refused("plugin '" + declaredId + "' cannot be loaded: " + describe(e));
        }
        try {
            if (manager.startPlugin(pluginId) != PluginState.STARTED) {
                throw new Refused("plugin '" + pluginId + "' did not start (state "
                        + manager.getPlugin(pluginId).getPluginState() + ")");
            }
            BackendDescriptor descriptor = descriptorOf(manager, pluginId);
            checkDescriptor(descriptor, loaded);
            String version = Optional.ofNullable(manifest.getValue(PLUGIN_VERSION)).orElse("0.0.0");
            return new LoadedBackend(pluginId, version, requires.trim(), jar, descriptor);
        } catch (Refused | RuntimeException | LinkageError e) {
            manager.unloadPlugin(pluginId);
            if (e instanceof Refused refused) {
                throw refused;
            }
            throw new Refused("plugin '" + pluginId + "' failed to start: " + describe(e));
        }
    }

    private static Attributes readManifest(Path jar) throws Refused {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            if (manifest == null) {
                throw new Refused("has no manifest; it is not a PF4J plugin");
            }
            return manifest.getMainAttributes();
        } catch (IOException e) {
            throw new Refused("is not a readable JAR file (" + describe(e) + ")");
        }
    }

    /**
     * The plugin's one {@link BackendDescriptor}. Instantiated here rather than through
     * {@code getExtensions}, which logs and swallows a failing class: the operator should see why.
     */
    private static BackendDescriptor descriptorOf(PluginManager manager, String pluginId) throws Refused {
        ClassLoader loader = manager.getPluginClassLoader(pluginId);
        List<BackendDescriptor> descriptors = new ArrayList<>();
        for (String className : manager.getExtensionClassNames(pluginId)) {
            Class<?> type;
            try {
                type = loader.loadClass(className);
            } catch (ClassNotFoundException | LinkageError e) {
                throw new Refused("plugin '" + pluginId + "' lists extension " + className
                        + " that cannot be loaded: " + describe(e));
            }
            if (!BackendDescriptor.class.isAssignableFrom(type)) {
                continue;
            }
            try {
                descriptors.add((BackendDescriptor) type.getConstructor().newInstance());
            } catch (InvocationTargetException e) {
                throw new Refused("plugin '" + pluginId + "': " + className + " failed to initialise: "
                        + describe(e.getCause()));
            } catch (ReflectiveOperationException | LinkageError e) {
                throw new Refused("plugin '" + pluginId + "': " + className + " cannot be created (it needs a public"
                        + " no-argument constructor): " + describe(e));
            }
        }
        if (descriptors.size() != 1) {
            throw new Refused("plugin '" + pluginId + "' provides " + descriptors.size() + " BackendDescriptor"
                    + " extensions; a backend plugin provides exactly one (annotated @Extension)");
        }
        return descriptors.get(0);
    }

    /** Calls what the host will rely on, so a broken backend is refused at load, not mid-backup. */
    private static void checkDescriptor(BackendDescriptor descriptor, List<LoadedBackend> loaded) throws Refused {
        String id = descriptor.id();
        if (id == null || !id.matches("[a-z][a-z0-9_-]*")) {
            throw new Refused("its backend id '" + id + "' must be lowercase letters, digits, '-' or '_'");
        }
        descriptor.options();
        if (!overrides(descriptor, "capabilitySet") && !overrides(descriptor, "capabilities")) {
            // Each default derives one from the other: a backend must declare one of them itself.
            throw new Refused("backend '" + id + "' declares no capabilities: implement capabilitySet()"
                    + " (plugin API 1.1) or capabilities() (1.0)");
        }
        descriptor.capabilitySet();
        descriptor.volumeNaming().form();
        for (LoadedBackend other : loaded) {
            if (other.backendId().equals(id)) {
                throw new Refused("provides backend '" + id + "', which " + other.jar() + " already provides");
            }
        }
    }

    /** Whether the backend's class implements the interface method {@code name} itself. */
    private static boolean overrides(BackendDescriptor descriptor, String name) {
        try {
            return descriptor.getClass().getMethod(name).getDeclaringClass() != BackendDescriptor.class;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("BackendDescriptor has no method " + name, e);
        }
    }

    private static List<Path> jarsIn(Path dir) {
        List<Path> jars = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            LOG.info("plugins directory {} does not exist; no backends", dir);
            return jars;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.jar")) {
            files.forEach(jars::add);
        } catch (IOException e) {
            throw new IllegalStateException("cannot list plugins directory " + dir + ": " + e.getMessage(), e);
        }
        jars.sort(null);
        return jars;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /** Internal signal: this JAR is skipped for the reason in the message. */
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }
}
