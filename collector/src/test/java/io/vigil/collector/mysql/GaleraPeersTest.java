package io.vigil.collector.mysql;

import io.vigil.collector.Scraper.Peer;
import io.vigil.model.TargetKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code wsrep_incoming_addresses} as Galera reports it, and the members discovery takes from it. */
class GaleraPeersTest {

    @Test
    void everyNodeThatAnnouncesASqlAddressIsAPeer() {
        assertThat(MySqlScraper.galeraPeers("10.0.0.1:3306,10.0.0.2:3306,10.0.0.3:3306")).containsExactly(
                new Peer(TargetKind.MYSQL, "10.0.0.1:3306"), new Peer(TargetKind.MYSQL, "10.0.0.2:3306"),
                new Peer(TargetKind.MYSQL, "10.0.0.3:3306"));
        // A node without wsrep_node_incoming_address announces AUTO or nothing, a joining one :0.
        assertThat(MySqlScraper.galeraPeers("AUTO,,10.0.0.2:0, 10.0.0.3:3306 ")).containsExactly(new Peer(TargetKind.MYSQL, "10.0.0.3:3306"));
        assertThat(MySqlScraper.galeraPeers(null)).isEmpty();
        assertThat(MySqlScraper.galeraPeers("")).isEmpty();
    }
}
