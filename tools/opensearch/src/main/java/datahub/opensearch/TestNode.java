package datahub.opensearch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.http.HttpServerTransport;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.transport.Netty4Plugin;

/**
 * One OpenSearch node on a loopback port, its data in a folder of the caller's, the modules
 * loaded as classpath plugins (as OpenSearch's own test framework does with MockNode).
 *
 * <p>Arguments: the data folder and the HTTP port (0: any free one). Prints {@code listening
 * http://127.0.0.1:PORT} once the node answers, and stops when its standard input closes, so
 * it never outlives the process that started it.
 */
public final class TestNode extends Node {

    private TestNode(Settings settings) {
        super(
            InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> "datahub-test"),
            List.of(Netty4Plugin.class, CommonAnalysisPlugin.class),
            false
        );
    }

    static Settings settings(Path home, String port) {
        return Settings.builder()
            .put("cluster.name", "datahub-test")
            .put("node.name", "datahub-test")
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", port)
            .put("transport.port", "0")
            .put("discovery.type", "single-node")
            .put("http.type", "netty4")
            .put("transport.type", "netty4")
            // A shared machine's disk may be fuller than the default watermarks like.
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("logger.level", "WARN")
            .build();
    }

    public static void main(String[] arguments) throws Exception {
        Path home = Path.of(arguments[0]);
        Files.createDirectories(home.resolve("config"));
        System.setProperty("opensearch.set.netty.runtime.available.processors", "false");
        Settings settings = settings(home, arguments.length > 1 ? arguments[1] : "0");
        LogConfigurator.registerErrorListener();
        LogConfigurator.configureWithoutConfig(settings);
        Node node = new TestNode(settings).start();
        HttpServerTransport http = node.injector().getInstance(HttpServerTransport.class);
        System.out.println("listening http://" + http.boundAddress().publishAddress());
        System.out.flush();
        while (System.in.read() != -1) {
            // Wait for the parent to close our standard input (or to die).
        }
        node.close();
        System.exit(0);
    }
}
