# Build a static binary, then run it from an empty image.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /thidua .
# Where evidence files are kept unless THIDUA_FILES names an S3 bucket; a
# volume mounted there takes this directory's owner.
RUN mkdir -p /data/files

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /thidua /thidua
COPY --from=build --chown=nonroot:nonroot /data /data
ENV THIDUA_ADDR=0.0.0.0:8080 THIDUA_FILES=/data/files
EXPOSE 8080
USER nonroot
ENTRYPOINT ["/thidua"]
CMD ["serve"]
