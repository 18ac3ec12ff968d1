package org.salus.store.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Set;
import org.salus.core.keys.SecretBytes;
import org.salus.store.StoreException;

/** Reads and writes the node directory's JSON files: node.json, keys.json, public-keys.json. */
final class NodeFiles {

  static final String CONFIG = "node.json";
  static final String KEYS = "keys.json";
  static final String PUBLIC_KEYS = "public-keys.json";

  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private NodeFiles() {}

  /** keys.json: private, read by this node only. Keys are Base64 (X.509, PKCS#8, raw bytes). */
  record KeysFile(
      int format,
      String signingAlgorithm,
      String signingPublic,
      String signingPrivate,
      String agreementAlgorithm,
      String agreementPublic,
      String agreementPrivate,
      String pseudonymSecret,
      String dataKey) {}

  /** public-keys.json: what peers need. Raw keys are RFC 8032 / RFC 7748 encodings. */
  record PublicKeysFile(
      String nodeId, String name, String signingEd25519, String agreementX25519) {}

  static void writeConfig(Path dir, NodeConfig config) throws IOException {
    Files.write(dir.resolve(CONFIG), JSON.writeValueAsBytes(config), StandardOpenOption.CREATE_NEW);
  }

  static NodeConfig readConfig(Path dir) {
    Path file = dir.resolve(CONFIG);
    NodeConfig config = read(file, NodeConfig.class);
    if (config.schemaVersion() != NodeConfig.CURRENT_SCHEMA_VERSION) {
      throw new StoreException(
          "node.config.invalid",
          file
              + ": schemaVersion "
              + config.schemaVersion()
              + " is not supported (this program reads "
              + NodeConfig.CURRENT_SCHEMA_VERSION
              + ")");
    }
    return config;
  }

  static void writeKeys(Path dir, NodeKeys keys) throws IOException {
    KeysFile f =
        new KeysFile(
            1,
            NodeKeys.SIGNING,
            b64(keys.signingPublicKey().getEncoded()),
            b64(keys.signingPrivateEncoded().toByteArray()),
            NodeKeys.AGREEMENT,
            b64(keys.agreementPublicKey().getEncoded()),
            b64(keys.agreementPrivateEncoded().toByteArray()),
            b64(keys.pseudonymSecret().toByteArray()),
            b64(keys.dataKey().toByteArray()));
    writeOwnerOnly(dir.resolve(KEYS), JSON.writeValueAsBytes(f));
  }

  static NodeKeys readKeys(Path dir) {
    Path file = dir.resolve(KEYS);
    KeysFile f = read(file, KeysFile.class);
    try {
      if (f.format() != 1
          || !NodeKeys.SIGNING.equals(f.signingAlgorithm())
          || !NodeKeys.AGREEMENT.equals(f.agreementAlgorithm())) {
        throw new IllegalArgumentException("unsupported key format");
      }
      return new NodeKeys(
          NodeKeys.publicKey(NodeKeys.SIGNING, unb64(f.signingPublic())),
          secret(f.signingPrivate()),
          NodeKeys.publicKey(NodeKeys.AGREEMENT, unb64(f.agreementPublic())),
          secret(f.agreementPrivate()),
          secret(f.pseudonymSecret()),
          secret(f.dataKey()));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new StoreException("node.keys.invalid", file + ": the key material is not valid");
    }
  }

  private static String b64(byte[] bytes) {
    try {
      return java.util.Base64.getEncoder().encodeToString(bytes);
    } finally {
      java.util.Arrays.fill(bytes, (byte) 0);
    }
  }

  private static byte[] unb64(String s) {
    return java.util.Base64.getDecoder().decode(s);
  }

  private static SecretBytes secret(String s) {
    byte[] b = unb64(s);
    try {
      return SecretBytes.copyOf(b);
    } finally {
      java.util.Arrays.fill(b, (byte) 0);
    }
  }

  static void writePublicKeys(Path dir, NodeConfig config, NodeKeys keys) throws IOException {
    java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
    PublicKeysFile f =
        new PublicKeysFile(
            config.nodeId().toString(),
            config.name(),
            b64.encodeToString(keys.publicKeys().signingRaw()),
            b64.encodeToString(keys.publicKeys().agreementRaw()));
    Files.write(dir.resolve(PUBLIC_KEYS), JSON.writeValueAsBytes(f), StandardOpenOption.CREATE_NEW);
  }

  /** Creates the file with owner-only permissions from the start: never readable by others. */
  private static void writeOwnerOnly(Path file, byte[] bytes) throws IOException {
    FileAttribute<Set<PosixFilePermission>> perms =
        PosixFilePermissions.asFileAttribute(OWNER_ONLY);
    Set<StandardOpenOption> options =
        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try (OutputStream out = Channels.newOutputStream(Files.newByteChannel(file, options, perms))) {
      out.write(bytes);
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system (Windows): the directory's ACL is what protects it there.
      Files.write(file, bytes, StandardOpenOption.CREATE_NEW);
    } finally {
      java.util.Arrays.fill(bytes, (byte) 0);
    }
  }

  private static <T> T read(Path file, Class<T> type) {
    try {
      return JSON.readValue(file.toFile(), type);
    } catch (UnrecognizedPropertyException e) {
      throw new StoreException(
          "node.config.invalid",
          file + ": unknown field '" + e.getPropertyName() + "' at " + path(e));
    } catch (MismatchedInputException e) {
      throw new StoreException(
          "node.config.invalid", file + ": " + e.getOriginalMessage() + " at " + path(e));
    } catch (JsonProcessingException e) {
      throw new StoreException(
          "node.config.invalid", file + ": not valid JSON (" + e.getOriginalMessage() + ")");
    } catch (NoSuchFileException | FileAlreadyExistsException e) {
      throw new StoreException("node.not-a-node", file + " is missing");
    } catch (IOException e) {
      throw new StoreException("node.io", "cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static String path(MismatchedInputException e) {
    StringBuilder sb = new StringBuilder("$");
    for (var ref : e.getPath()) {
      sb.append(ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]");
    }
    return sb.toString();
  }
}
