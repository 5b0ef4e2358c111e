# keywarden in a container: the binary goreleaser built, on a distroless
# base (CA certificates and time zones, no shell), as a non-root user.
# Built by `goreleaser release` (dockers / docker_manifests in
# .goreleaser.yaml) for linux/amd64 and linux/arm64. No Docker engine runs
# where keywarden is developed, so `goreleaser check` is its test.
#
#   docker run -d --name keywarden -p 127.0.0.1:9489:9489 \
#     -v keywarden-data:/data \
#     -v /etc/keywarden/passphrase:/run/secrets/keywarden_passphrase:ro \
#     ghcr.io/keywarden/keywarden:latest
#
# The passphrase file must not be readable by others (chmod 0400, owned by
# uid 65532); the keyring folder /data must belong to uid 65532.
FROM gcr.io/distroless/static-debian12:nonroot
COPY keywarden /usr/bin/keywarden
USER 65532:65532
ENV KEYWARDEN_DIR=/data \
    KEYWARDEN_PASSPHRASE_FILE=/run/secrets/keywarden_passphrase
VOLUME ["/data"]
EXPOSE 9489
ENTRYPOINT ["/usr/bin/keywarden"]
# Inside a container 127.0.0.1 is the container's own loopback: listen on
# every interface of the container and publish the port on the host's
# loopback only (-p 127.0.0.1:9489:9489). serve prints a warning about it.
CMD ["serve", "--all", "--listen", "0.0.0.0:9489"]
