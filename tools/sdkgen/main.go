// Command sdkgen writes the TypeScript, Python and Go SDKs of a Pulumi package
// from its schema, with Pulumi's own code generators and no language host.
//
//	sdkgen -schema provider/pulumi_aws_forecast/schema.json -out sdk
//
// It binds the schema (schema.BindSpec, which validates it against Pulumi's
// metaschema) and calls pkg/v3/codegen/{nodejs,python,go}.GeneratePackage,
// writing each language's files under OUT/<language>/ after removing what was
// there. The package may reference no other package: the loader refuses.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/blang/semver"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const tool = "pulumi-aws-forecast sdkgen"

// noLoader refuses every package reference: our schema stands alone.
type noLoader struct{}

var errStandalone = errors.New("the schema must not reference other packages")

func (noLoader) LoadPackage(string, *semver.Version) (*schema.Package, error) {
	return nil, errStandalone
}

func (noLoader) LoadPackageV2(context.Context, *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, errStandalone
}

func (noLoader) LoadPackageReference(string, *semver.Version) (schema.PackageReference, error) {
	return nil, errStandalone
}

func (noLoader) LoadPackageReferenceV2(context.Context, *schema.PackageDescriptor) (schema.PackageReference, error) {
	return nil, errStandalone
}

func main() {
	schemaPath := flag.String("schema", "", "the package schema (JSON)")
	out := flag.String("out", "sdk", "the directory that receives nodejs/, python/ and go/")
	flag.Parse()
	if *schemaPath == "" || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: sdkgen -schema SCHEMA.json [-out DIR]")
		os.Exit(2)
	}
	if err := run(*schemaPath, *out); err != nil {
		fmt.Fprintf(os.Stderr, "sdkgen: %v\n", err)
		os.Exit(1)
	}
}

// bind reads and validates the schema. Each generator gets its own bound
// package, since generators record their language's settings on it.
func bind(path string) (*schema.Package, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(data, &spec); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	pkg, diags, err := schema.BindSpec(spec, noLoader{}, schema.ValidationOptions{})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if diags.HasErrors() {
		return nil, fmt.Errorf("%s does not bind: %s", path, diags.Error())
	}
	return pkg, nil
}

func run(schemaPath, out string) error {
	generators := []struct {
		language string
		generate func(*schema.Package) (map[string][]byte, error)
	}{
		{"nodejs", func(pkg *schema.Package) (map[string][]byte, error) {
			return nodejs.GeneratePackage(tool, pkg, nil, nil, false, noLoader{})
		}},
		{"python", func(pkg *schema.Package) (map[string][]byte, error) {
			return python.GeneratePackage(tool, pkg, nil, noLoader{})
		}},
		{"go", func(pkg *schema.Package) (map[string][]byte, error) {
			return gogen.GeneratePackage(tool, pkg, nil)
		}},
	}
	for _, g := range generators {
		pkg, err := bind(schemaPath)
		if err != nil {
			return err
		}
		files, err := g.generate(pkg)
		if err != nil {
			return fmt.Errorf("generating the %s SDK: %w", g.language, err)
		}
		if err := write(filepath.Join(out, g.language), files); err != nil {
			return err
		}
	}
	return nil
}

// write replaces dir's contents with files.
func write(dir string, files map[string][]byte) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}
