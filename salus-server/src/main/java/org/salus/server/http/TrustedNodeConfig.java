package org.salus.server.http;

import java.nio.file.Path;

/**
 * What a node needs to start with trust: file locations (all PEM or JWK) and where to listen. The
 * node directory of {@code salus node start --dir D} is mapped instead onto the in-memory {@code
 * TrustedNode.start(nodeId, keys, operatorKey, trustListJws, listen, clock)}, so that node's
 * private signing key is never written as a JWK.
 *
 * @param nodeId this node's id in the trust list
 * @param trustList the signed trust list (compact JWS)
 * @param operatorKey the operator's public Ed25519 JWK
 * @param federationCa the federation CA certificate (PEM)
 * @param signingKey this node's private Ed25519 JWK
 * @param tlsKey this node's TLS private key (PKCS#8 PEM)
 * @param tlsCertificate this node's TLS certificate (PEM), issued by the federation CA
 */
public record TrustedNodeConfig(
    String nodeId,
    Path trustList,
    Path operatorKey,
    Path federationCa,
    Path signingKey,
    Path tlsKey,
    Path tlsCertificate,
    ServerSettings listen) {}
