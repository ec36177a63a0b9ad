package credentials_test

import (
	"errors"
	"fmt"
	"io/fs"
	"log"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/harborkit/harbor-sdk-go/credentials"
)

func ExampleSave() {
	dir, err := os.MkdirTemp("", "credentials-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "robot.json")

	// Before creating the robot: make sure its one-time secret can be saved.
	if err := credentials.CheckWritable(path, false); err != nil {
		log.Fatal(err)
	}

	c := &credentials.Credentials{
		Name:   "robot$ci",
		Secret: credentials.NewSecret("s3cr3t-from-harbor"),
		Permissions: []credentials.Permission{{
			Kind:      "project",
			Namespace: "library",
			Access:    []credentials.Access{{Resource: "repository", Action: "pull"}},
		}},
	}
	if err := credentials.Save(path, c); err != nil {
		log.Fatal(err)
	}

	// A second save without Overwrite fails and keeps the file.
	err = credentials.Save(path, c)
	fmt.Println("second save refused:", errors.Is(err, fs.ErrExist))

	loaded, err := credentials.Load(path)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(loaded.Name, loaded.Secret)
	fmt.Println("password:", loaded.Secret.Reveal())
	fmt.Println("permission:", loaded.Permissions[0].Namespace, loaded.Permissions[0].Access[0].Action)

	info, err := os.Stat(path)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("mode:", info.Mode().Perm())
	// Output:
	// second save refused: true
	// robot$ci [REDACTED]
	// password: s3cr3t-from-harbor
	// permission: library pull
	// mode: -rw-------
}

func ExampleSecret() {
	s := credentials.NewSecret("hunter2-Harbor")

	fmt.Println(s)
	fmt.Printf("%s %q %#v\n", s, s, s)
	fmt.Printf("%+v\n", struct {
		User   string
		Secret credentials.Secret
	}{"robot$ci", s})

	logger := slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // stable output
			}
			return a
		},
	}))
	logger.Info("login", "user", "robot$ci", "secret", s)

	fmt.Println(s.Reveal())
	fmt.Printf("empty: %q\n", credentials.Secret{})
	// Output:
	// [REDACTED]
	// [REDACTED] "[REDACTED]" credentials.Secret("[REDACTED]")
	// {User:robot$ci Secret:[REDACTED]}
	// {"level":"INFO","msg":"login","user":"robot$ci","secret":"[REDACTED]"}
	// hunter2-Harbor
	// empty: ""
}

func ExampleLoad_errors() {
	dir, err := os.MkdirTemp("", "credentials-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "robot.json")
	if err := os.WriteFile(path, []byte(`{"name": "robot$ci", "secret": ""}`), 0o600); err != nil {
		log.Fatal(err)
	}

	_, err = credentials.Load(path)
	var e *credentials.Error
	if errors.As(err, &e) {
		fmt.Println(e.Field, errors.Is(err, credentials.ErrMissingField))
	}
	_, err = credentials.Load(filepath.Join(dir, "missing.json"))
	fmt.Println(errors.Is(err, fs.ErrNotExist))
	// Output:
	// secret true
	// true
}
