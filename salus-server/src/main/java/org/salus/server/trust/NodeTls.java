package org.salus.server.trust;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.salus.core.trust.TrustedNodeEntry;

/**
 * TLS 1.3 with mutual authentication between federation nodes. A peer is accepted only if its
 * certificate chains to the federation CA (PKIX, RFC 5280) <em>and</em> is the certificate the
 * current trust list names for the node id in its SAN; so a node removed from the list is refused
 * from the next handshake on.
 */
public final class NodeTls {

  /** The only protocol offered. */
  public static final String PROTOCOL = "TLSv1.3";

  private final SSLContext context;

  private NodeTls(SSLContext context) {
    this.context = context;
  }

  public static NodeTls create(
      X509Certificate federationCa,
      X509Certificate nodeCertificate,
      PrivateKey nodeKey,
      TrustListHolder trustList) {
    try {
      char[] pass = "salus".toCharArray();
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry(
          "node", nodeKey, pass, new X509Certificate[] {nodeCertificate, federationCa});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
      kmf.init(keys, pass);

      KeyStore anchors = KeyStore.getInstance("PKCS12");
      anchors.load(null, null);
      anchors.setCertificateEntry("federation-ca", federationCa);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(anchors);
      X509ExtendedTrustManager pkix =
          (X509ExtendedTrustManager)
              Arrays.stream(tmf.getTrustManagers())
                  .filter(X509ExtendedTrustManager.class::isInstance)
                  .findFirst()
                  .orElseThrow();

      SSLContext ctx = SSLContext.getInstance(PROTOCOL);
      ctx.init(kmf.getKeyManagers(), new TrustManager[] {new ListedPeers(pkix, trustList)}, null);
      return new NodeTls(ctx);
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot build the node's TLS context", e);
    }
  }

  public SSLContext context() {
    return context;
  }

  /** Parameters for clients: TLS 1.3 only, host name checked against the certificate. */
  public SSLParameters clientParameters() {
    SSLParameters p = context.getDefaultSSLParameters();
    p.setProtocols(new String[] {PROTOCOL});
    p.setEndpointIdentificationAlgorithm("HTTPS");
    return p;
  }

  /** The listed node a certificate belongs to, if the current trust list names it so. */
  public static Optional<TrustedNodeEntry> listedNode(
      X509Certificate cert, TrustListHolder trustList) {
    if (trustList.expired()) {
      return Optional.empty();
    }
    return NodeIdentity.of(cert)
        .flatMap(id -> trustList.current().node(id))
        .filter(n -> listedCertificate(n.tlsCertificatePem()).equals(cert));
  }

  /**
   * Listed certificates parsed, by their PEM text: the guard checks the peer of every request
   * against the current trust list, and parsing the same entry's PEM each time was a visible part
   * of a study step. Only the parse is remembered (the same text always parses to the same
   * certificate); which node is listed, and with which certificate, is still read from the current
   * trust list on every call, so a removal or a new certificate applies at the next request. At
   * most {@value #PARSED_MAX} texts are kept (a trust list names a few nodes; the map is emptied
   * when full).
   */
  private static final java.util.Map<String, X509Certificate> PARSED =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static final int PARSED_MAX = 1024;

  private static X509Certificate listedCertificate(String pem) {
    X509Certificate c = PARSED.get(pem);
    if (c == null) {
      c = Pem.parseCertificate(pem);
      if (PARSED.size() >= PARSED_MAX) {
        PARSED.clear();
      }
      PARSED.put(pem, c);
    }
    return c;
  }

  /** PKIX against the federation CA, then the trust-list check. */
  private static final class ListedPeers extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager pkix;
    private final TrustListHolder trustList;

    ListedPeers(X509ExtendedTrustManager pkix, TrustListHolder trustList) {
      this.pkix = pkix;
      this.trustList = trustList;
    }

    private void listed(X509Certificate[] chain) throws CertificateException {
      if (listedNode(chain[0], trustList).isEmpty()) {
        throw new CertificateException("peer certificate is not listed in the trust list");
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      pkix.checkClientTrusted(chain, authType, socket);
      listed(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      pkix.checkServerTrusted(chain, authType, socket);
      listed(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      pkix.checkClientTrusted(chain, authType, engine);
      listed(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      pkix.checkServerTrusted(chain, authType, engine);
      listed(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      pkix.checkClientTrusted(chain, authType);
      listed(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      pkix.checkServerTrusted(chain, authType);
      listed(chain);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return pkix.getAcceptedIssuers();
    }
  }
}
